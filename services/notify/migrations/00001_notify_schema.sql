-- +goose Up
CREATE SCHEMA IF NOT EXISTS notify;

-- tickets is what notify knows of a ticket from its events: enough to
-- address and word messages and to hide a GBV ticket's messages.
CREATE TABLE notify.tickets (
    id               uuid PRIMARY KEY,
    tenant           text NOT NULL,
    reference        text NOT NULL,
    category         text NOT NULL,
    gbv              boolean NOT NULL GENERATED ALWAYS AS (category = 'gbv') STORED,
    status           text NOT NULL DEFAULT '',
    reporter_subject text NOT NULL DEFAULT '',
    create_time      timestamptz NOT NULL,
    update_time      timestamptz NOT NULL
);
CREATE INDEX tickets_tenant ON notify.tickets (tenant, create_time);

-- events are the ticket events received, once each (the idempotency key
-- of RecordTicketEvent). A GBV event keeps no team name or note.
CREATE TABLE notify.events (
    id                uuid PRIMARY KEY,
    tenant            text NOT NULL,
    ticket_id         uuid NOT NULL REFERENCES notify.tickets (id),
    gbv               boolean NOT NULL,
    kind              text NOT NULL,
    from_status       text NOT NULL DEFAULT '',
    to_status         text NOT NULL DEFAULT '',
    team_id           text NOT NULL DEFAULT '',
    team_name         text NOT NULL DEFAULT '',
    person_id         text NOT NULL DEFAULT '',
    assignment_reason text NOT NULL DEFAULT '',
    escalation_level  int  NOT NULL DEFAULT 0,
    clock             text NOT NULL DEFAULT '',
    deadline          timestamptz,
    note              text NOT NULL DEFAULT '',
    sequence          bigint NOT NULL DEFAULT 0,
    occur_time        timestamptz NOT NULL,
    create_time       timestamptz NOT NULL,
    CONSTRAINT gbv_no_content CHECK (NOT gbv OR (team_name = '' AND note = ''))
);
CREATE INDEX events_ticket ON notify.events (ticket_id, occur_time);

-- reporters hold the contact a reporter gave and their preferences. A GBV
-- reporter's contact is only ever sealed (AES-256-GCM, libs/seal, bound
-- to tenant and ticket); the CHECK keeps plaintext out.
CREATE TABLE notify.reporters (
    ticket_id     uuid PRIMARY KEY REFERENCES notify.tickets (id),
    tenant        text NOT NULL,
    gbv           boolean NOT NULL,
    subject       text NOT NULL DEFAULT '',
    name          text NOT NULL DEFAULT '',
    phone         text NOT NULL DEFAULT '',
    email         text NOT NULL DEFAULT '',
    sealed        bytea,
    sealed_key_id text,
    sealed_nonce  bytea,
    language      text NOT NULL DEFAULT 'en',
    channels      text[] NOT NULL DEFAULT '{}',
    gbv_safe      text NOT NULL DEFAULT '',
    create_time   timestamptz NOT NULL,
    update_time   timestamptz NOT NULL,
    CONSTRAINT gbv_sealed CHECK (
        NOT gbv OR (name = '' AND phone = '' AND email = '' AND sealed IS NOT NULL))
);

-- messages: one per (event, recipient, channel), whatever replicas and
-- retries do (messages_once); a digest has no event.
CREATE TABLE notify.messages (
    id                  uuid PRIMARY KEY,
    tenant              text NOT NULL,
    ticket_id           uuid REFERENCES notify.tickets (id),
    event_id            uuid REFERENCES notify.events (id),
    gbv                 boolean NOT NULL,
    kind                text NOT NULL DEFAULT '',
    recipient           text NOT NULL CHECK (recipient IN ('reporter','staff','team')),
    recipient_id        text NOT NULL DEFAULT '',
    channel             text NOT NULL CHECK (channel IN ('sms','whatsapp','email','webhook')),
    language            text NOT NULL,
    state               text NOT NULL CHECK (state IN ('waiting','queued','sending','sent','delivered','failed','suppressed','digested')),
    subject             text NOT NULL DEFAULT '',
    body                text NOT NULL,
    provider            text NOT NULL DEFAULT '',
    provider_message_id text NOT NULL DEFAULT '',
    error               text NOT NULL DEFAULT '',
    attempts            int  NOT NULL DEFAULT 0,
    not_before          timestamptz,
    digest_id           uuid REFERENCES notify.messages (id),
    create_time         timestamptz NOT NULL,
    update_time         timestamptz NOT NULL,
    sent_time           timestamptz,
    delivered_time      timestamptz
);
CREATE UNIQUE INDEX messages_once ON notify.messages (event_id, recipient, recipient_id, channel) WHERE event_id IS NOT NULL;
CREATE INDEX messages_ticket ON notify.messages (ticket_id, create_time);
CREATE INDEX messages_waiting ON notify.messages (not_before) WHERE state = 'waiting';
CREATE UNIQUE INDEX messages_provider_id ON notify.messages (tenant, provider, provider_message_id) WHERE provider_message_id <> '';

-- opt_outs and inbound are keyed by a keyed hash of the address
-- (domain.Links.AddressHash): they hold no phone numbers or addresses.
CREATE TABLE notify.opt_outs (
    tenant       text  NOT NULL,
    channel      text  NOT NULL,
    address_hash bytea NOT NULL,
    source       text  NOT NULL,
    create_time  timestamptz NOT NULL,
    PRIMARY KEY (tenant, channel, address_hash)
);

-- inbound is when an address last wrote to us (WhatsApp's 24-hour window).
CREATE TABLE notify.inbound (
    tenant       text  NOT NULL,
    channel      text  NOT NULL,
    address_hash bytea NOT NULL,
    last_time    timestamptz NOT NULL,
    PRIMARY KEY (tenant, channel, address_hash)
);

-- receipts are the providers' delivery receipts as they came: one may
-- arrive before the send that it is about has recorded the provider's id,
-- and is applied then.
CREATE TABLE notify.receipts (
    tenant              text NOT NULL,
    provider            text NOT NULL,
    provider_message_id text NOT NULL,
    state               text NOT NULL CHECK (state IN ('sent','delivered','failed')),
    error               text NOT NULL DEFAULT '',
    receive_time        timestamptz NOT NULL,
    PRIMARY KEY (tenant, provider, provider_message_id, state)
);

CREATE TABLE notify.templates (
    id          uuid PRIMARY KEY,
    tenant      text NOT NULL,
    audience    text NOT NULL CHECK (audience IN ('reporter','staff')),
    category    text NOT NULL DEFAULT '' CHECK (category <> 'gbv'),
    kind        text NOT NULL,
    language    text NOT NULL,
    subject     text NOT NULL DEFAULT '',
    body        text NOT NULL,
    updated_by  text NOT NULL,
    create_time timestamptz NOT NULL,
    update_time timestamptz NOT NULL,
    CONSTRAINT templates_key UNIQUE (tenant, audience, category, kind, language)
);

CREATE TABLE notify.staff_contacts (
    tenant      text NOT NULL,
    user_id     text NOT NULL,
    email       text NOT NULL,
    language    text NOT NULL DEFAULT 'en',
    update_time timestamptz NOT NULL,
    PRIMARY KEY (tenant, user_id)
);

CREATE TABLE notify.team_channels (
    tenant              text NOT NULL,
    team_id             uuid NOT NULL,
    emails              text[] NOT NULL DEFAULT '{}',
    webhook_url         text NOT NULL DEFAULT '',
    webhook_secret      text NOT NULL DEFAULT '',
    business_hours_only boolean NOT NULL DEFAULT false,
    language            text NOT NULL DEFAULT 'en',
    update_time         timestamptz NOT NULL,
    PRIMARY KEY (tenant, team_id)
);

CREATE TABLE notify.settings (
    tenant             text PRIMARY KEY,
    reporter_at_night  boolean NOT NULL DEFAULT false,
    update_time        timestamptz NOT NULL
);

-- The tenant wall on every table; on tickets, events, reporters and
-- messages also the GBV wall: GBV rows exist only for the SAPS liaison and
-- the service's own work.
-- +goose StatementBegin
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['opt_outs','inbound','receipts','templates','staff_contacts','team_channels','settings'] LOOP
    EXECUTE format('ALTER TABLE notify.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE notify.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON notify.%I
      USING (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
      WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['tickets','events','reporters','messages'] LOOP
    EXECUTE format('ALTER TABLE notify.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE notify.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format($p$CREATE POLICY tenant_isolation ON notify.%I
      USING ((tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')
             AND (NOT gbv OR string_to_array(current_setting('app.roles', true), ',') && ARRAY['saps_liaison','service']))
      WITH CHECK (tenant = current_setting('app.tenant', true) OR current_setting('app.all_tenants', true) = 'on')$p$, t);
  END LOOP;
END
$$;
-- +goose StatementEnd

GRANT USAGE ON SCHEMA notify TO trustengine_app;
GRANT SELECT, INSERT, UPDATE ON notify.tickets, notify.reporters, notify.messages, notify.settings,
    notify.inbound, notify.staff_contacts, notify.team_channels, notify.templates TO trustengine_app;
GRANT SELECT, INSERT ON notify.events, notify.opt_outs, notify.receipts TO trustengine_app;
GRANT DELETE ON notify.templates, notify.staff_contacts, notify.team_channels TO trustengine_app;

-- +goose Down
DROP SCHEMA notify CASCADE;
