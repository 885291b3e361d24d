// Package app holds the notify service's use cases, one per file. The RPC
// use cases read their caller (libs/access) and run in one transaction
// under its scope; the queue's use cases (planning an event, delivering a
// message) and the release of what waited run as the service's own work
// for one municipality (jobCaller) or, for the sweep, access.System.
package app

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/salga/trustengine/libs/access"
	"github.com/salga/trustengine/libs/auth"
	"github.com/salga/trustengine/libs/pg"
	"github.com/salga/trustengine/services/notify/internal/domain"
	"github.com/salga/trustengine/services/notify/internal/store"
)

// Jobs records, inside the transaction of a change, the work the queue
// must do (implemented by package outbox).
type Jobs interface {
	// PlanEvent records that event id of tenant must be planned.
	PlanEvent(ctx context.Context, tx pgx.Tx, tenant, id string) error
	// Deliver records that m must be sent.
	Deliver(ctx context.Context, tx pgx.Tx, m domain.Message) error
}

// Teams is what the use cases need of the routing service.
type Teams interface {
	// GetTeam returns team id of tenant; domain.ErrTeamNotFound when
	// routing has none.
	GetTeam(ctx context.Context, tenant, id string) (domain.Team, error)
}

// Calendars is what the use cases need of the SLA service.
type Calendars interface {
	// CalendarFor returns the business-hours calendar of the SLA policy of
	// tenant's category, with the holidays of the year of at and the next.
	CalendarFor(ctx context.Context, tenant, category string, at time.Time) (domain.Calendar, error)
}

// Sender hands a message to a provider.
type Sender interface {
	// Send sends o; a domain.SendError says whether a failure is final.
	Send(ctx context.Context, o domain.Outgoing) (domain.Sent, error)
}

// Inbound checks and reads one provider's webhooks.
type Inbound interface {
	// Parse verifies w's signature (domain.ErrUnsigned, ErrBadSignature)
	// and reads its receipts and replies.
	Parse(w domain.Webhook) (domain.Inbound, error)
}

// Options are what App is built from.
type Options struct {
	Pool      *pgxpool.Pool
	Store     *store.Store
	Jobs      Jobs
	Teams     Teams
	Calendars Calendars
	// Senders are the configured providers by channel; a channel without
	// one has no queue in this process, so its messages wait.
	Senders map[domain.Channel]Sender
	// Inbound are the webhook parsers by provider word (twilio, ...).
	Inbound map[string]Inbound
	Links   domain.Links
	DevMode bool
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// App is the notify service's use cases.
type App struct {
	Options
}

// New returns the use cases of o.
func New(o Options) *App {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &App{Options: o}
}

// inTx runs fn in one transaction under scope.
func (a *App) inTx(ctx context.Context, scope pg.Scope, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, a.Pool, scope, fn)
}

// timestamp is the current time at Postgres precision.
func (a *App) timestamp() time.Time { return a.Now().UTC().Truncate(time.Microsecond) }

// caller returns the call's caller, refusing it unless it passes may.
func caller(ctx context.Context, may func(access.Caller) error) (access.Caller, error) {
	c, err := access.FromContext(ctx)
	if err != nil {
		return c, err
	}
	return c, may(c)
}

// jobInput is the input of an internal call: validated first, and naming
// the municipality whose job the call carries.
type jobInput interface {
	Validate() error
	ForTenant() string
}

// internalCaller returns the caller of an internal call with input in: one
// that passes may, with valid input, acting for the municipality in names
// and no other (its token must name it; PermissionDenied otherwise).
func internalCaller(ctx context.Context, may func(access.Caller) error, in jobInput) (access.Caller, error) {
	c, err := caller(ctx, may)
	if err != nil {
		return c, err
	}
	if err := in.Validate(); err != nil {
		return c, err
	}
	_, err = c.Tenant(in.ForTenant(), "tenant")
	return c, err
}

// jobCaller is the service's own work for one municipality: a queued job
// (planning an event, delivering a message) or a provider's webhook once
// its signature held. It is confined to tenant as an internal call
// carrying that municipality's job is, and, like one, may see its GBV
// rows: it carries them to the SAPS recipients the rules allow.
func jobCaller(tenant string) access.Caller {
	return access.FromClaims(auth.Claims{Subject: "notify", Tenant: tenant, Roles: []string{auth.RoleService}, Kind: auth.KindService})
}

// wrap names the use case in an unexpected error; domain errors keep
// their code through the wrapping.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("app.%s: %w", op, err)
}
