// API keys for Open311 client applications: issue (shown once), list, revoke.
import { useState } from "preact/hooks";
import { call } from "../api/client";
import { invalidate, useAction, useQuery } from "../api/data";
import { TicketService } from "../api/services";
import { when } from "../format";
import { ErrorNote, FieldError, Loading, Page } from "../ui/common";
import { AdminTabs } from "./TeamsAdmin";

export function ApiKeys() {
  const keys = useQuery("apikeys", () => call(TicketService.method.listApiKeys, {}));
  const [client, setClient] = useState("");
  const create = useAction(() => call(TicketService.method.createApiKey, { clientName: client }));
  const revoke = useAction((id: string) => call(TicketService.method.revokeApiKey, { id }));
  return (
    <Page title="API keys">
      <AdminTabs current="/admin/api-keys" />
      <p class="lead">Civic apps file reports through Open311 (<code>/open311/v2/</code>) with a key per application.</p>
      <form class="row" aria-label="Issue an API key" onSubmit={async (e) => { e.preventDefault(); if (await create.run()) { setClient(""); invalidate("apikeys"); } }}>
        <label>Client application<input value={client} onInput={(e) => setClient((e.target as HTMLInputElement).value)} aria-describedby="err-client" /></label>
        <button type="submit" disabled={create.busy}>{create.busy ? "Issuing…" : "Issue key"}</button>
        <FieldError error={create.error} field="client_name" id="err-client" />
      </form>
      {create.done && (
        <div class="ok" role="status">
          Key for {create.done.apiKey?.clientName}: <code data-testid="new-key">{create.done.key}</code>. Copy it now: it is not shown again.
        </div>
      )}
      {keys.loading && <Loading what="API keys" />}
      <ErrorNote error={keys.error ?? revoke.error} />
      {keys.data && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">API keys</caption>
            <thead><tr><th scope="col">Client</th><th scope="col">Prefix</th><th scope="col">Issued</th><th scope="col">State</th><th scope="col">Action</th></tr></thead>
            <tbody>
              {keys.data.apiKeys.map((k) => (
                <tr key={k.id}>
                  <td>{k.clientName}</td><td><code>{k.prefix}</code></td><td>{when(k.createTime)}</td>
                  <td>{k.revokeTime ? `revoked ${when(k.revokeTime)}` : "active"}</td>
                  <td>{!k.revokeTime && <button type="button" class="danger" onClick={async () => { if (await revoke.run(k.id)) invalidate("apikeys"); }}>Revoke {k.clientName}</button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {keys.data?.apiKeys.length === 0 && <p class="empty">No keys issued yet.</p>}
    </Page>
  );
}
