// Sign-in: the municipality's OpenID Connect issuer when one is configured,
// and in development mode "sign in as role X of tenant Y".
import { useEffect, useState } from "preact/hooks";
import { beginSignIn, completeSignIn } from "../auth/oidc";
import { signIn, takeNotice } from "../auth/session";
import { getConfig } from "../config";
import { currentRoute, navigate } from "../router";
import { ErrorNote, Loading, Page, messageOf } from "../ui/common";
import { ApiError } from "../api/client";

const roleNames: Record<string, string> = {
  agent: "Agent (call centre or field)",
  team_manager: "Team manager",
  municipal_admin: "Municipal administrator",
  saps_liaison: "SAPS liaison (GBV)",
  platform_admin: "Platform administrator",
  citizen: "Citizen",
};

/** Where to go after signing in: the page that asked for it, else the first queue. */
function nextOf(): string {
  const n = currentRoute().query.get("next");
  return n && n.startsWith("/") && !n.startsWith("//") ? n : "";
}

export function SignInPage() {
  const cfg = getConfig();
  const [notice] = useState(takeNotice);
  const [role, setRole] = useState("agent");
  const [tenant, setTenant] = useState("CPT");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const devSignIn = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/console/dev-token", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ role, tenant: tenant.trim().toUpperCase() }),
      });
      const body = (await res.json()) as { token?: string; message?: string; status?: string; details?: Array<{ fieldViolations?: Array<{ field: string; description: string }> }> };
      if (!res.ok || !body.token) {
        throw new ApiError(res.status, body.status ?? "", body.message ?? "sign-in refused", (body.details ?? []).flatMap((d) => d.fieldViolations ?? []));
      }
      const s = signIn(body.token, "development");
      navigate(nextOf() || homeOf(s.roles), true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Sign in to the Trust Engine console">
      {notice && <p class="notice" role="status">{notice}</p>}
      {cfg.oidc && (
        <section class="card" aria-labelledby="oidc-h">
          <h2 id="oidc-h">Municipal staff</h2>
          <button type="button" onClick={() => cfg.oidc && beginSignIn(cfg.oidc, nextOf()).catch(setError)}>
            Sign in with your municipal account
          </button>
        </section>
      )}
      {cfg.dev_mode ? (
        <section class="card" aria-labelledby="dev-h">
          <h2 id="dev-h">Development sign-in</h2>
          <p class="muted">This gateway runs in development mode: choose who to be. The token lives in this tab only and lasts an hour.</p>
          <form class="stack" onSubmit={devSignIn}>
            <label>
              Role
              <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
                {cfg.roles.map((r) => <option key={r} value={r}>{roleNames[r] ?? r}</option>)}
              </select>
            </label>
            <label>
              Municipality code
              <input value={tenant} onInput={(e) => setTenant((e.target as HTMLInputElement).value)} aria-describedby="err-tenant" autoComplete="off" />
              {error instanceof ApiError && error.forField("tenant") && <p class="field-error" id="err-tenant" role="alert">Municipality code {error.forField("tenant")}</p>}
            </label>
            <button type="submit" disabled={busy}>{busy ? "Signing in…" : `Sign in as ${roleNames[role] ?? role} of ${tenant.toUpperCase()}`}</button>
          </form>
        </section>
      ) : (
        !cfg.oidc && <p class="notice">No sign-in is configured: set CONSOLE_OIDC_ISSUER and CONSOLE_OIDC_CLIENT_ID on the gateway (or TRUSTENGINE_DEV_MODE=1 on a development machine).</p>
      )}
      {error && !(error instanceof ApiError && error.forField("tenant")) && <ErrorNote error={error} />}
    </Page>
  );
}

/** The first view of a role. */
export function homeOf(roles: string[]): string {
  if (roles.includes("citizen") && roles.length === 1) return "/map";
  if (roles.includes("platform_admin") && roles.length === 1) return "/dashboard";
  if (roles.includes("saps_liaison")) return "/tickets?category=CATEGORY_GBV";
  return "/queues/team";
}

export function OidcCallback() {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const cfg = getConfig();
    if (!cfg.oidc) return setError(new Error("no OpenID Connect issuer is configured"));
    completeSignIn(cfg.oidc, currentRoute().query)
      .then(({ session, next }) => navigate(next || homeOf(session.roles), true))
      .catch(setError);
  }, []);
  return (
    <Page title="Signing in">
      {error ? <p class="error" role="alert">Sign-in failed: {messageOf(error)}</p> : <Loading what="your session" />}
    </Page>
  );
}
