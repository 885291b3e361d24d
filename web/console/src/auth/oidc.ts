// The OpenID Connect authorization code flow with PKCE, in the browser.
// The console is a public client: no secret, the verifier proves that the
// code is redeemed by the page that asked for it. Only the verifier, state
// and nonce cross the redirect, in sessionStorage (single use, useless
// without the code, deleted at the callback); the tokens stay in memory.
import { codeChallenge, codeVerifier } from "./pkce";
import { signIn, type Session } from "./session";
import { BASE } from "../router";

export type OidcSettings = { issuer: string; client_id: string; scopes: string; tenant_claim?: string; roles_claim?: string };

type Discovery = { authorization_endpoint: string; token_endpoint: string };

const pendingKey = "trustengine.oidc.pending";

async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(issuer.replace(/\/$/, "") + "/.well-known/openid-configuration");
  if (!res.ok) throw new Error(`the sign-in service did not answer (${res.status})`);
  return (await res.json()) as Discovery;
}

export const redirectUri = () => location.origin + BASE + "/oidc/callback";

/** Sends the browser to the issuer's sign-in page; returns to next afterwards. */
export async function beginSignIn(s: OidcSettings, next: string): Promise<void> {
  const d = await discover(s.issuer);
  const verifier = codeVerifier();
  const state = codeVerifier();
  const nonce = codeVerifier();
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, nonce, next }));
  const u = new URL(d.authorization_endpoint);
  u.search = new URLSearchParams({
    response_type: "code",
    client_id: s.client_id,
    redirect_uri: redirectUri(),
    scope: s.scopes,
    state,
    nonce,
    code_challenge: await codeChallenge(verifier),
    code_challenge_method: "S256",
  }).toString();
  location.assign(u.toString());
}

/** Redeems the code of the callback URL; returns the session and where to go. */
export async function completeSignIn(s: OidcSettings, params: URLSearchParams): Promise<{ session: Session; next: string }> {
  const raw = sessionStorage.getItem(pendingKey);
  sessionStorage.removeItem(pendingKey);
  if (params.get("error")) throw new Error(params.get("error_description") ?? params.get("error") ?? "sign-in refused");
  if (!raw) throw new Error("no sign-in was started from this tab");
  const pending = JSON.parse(raw) as { verifier: string; state: string; next: string };
  if (params.get("state") !== pending.state) throw new Error("the sign-in answer does not match the request (state)");
  const code = params.get("code");
  if (!code) throw new Error("the sign-in answer has no code");
  const d = await discover(s.issuer);
  const res = await fetch(d.token_endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri(),
      client_id: s.client_id,
      code_verifier: pending.verifier,
    }),
  });
  if (!res.ok) throw new Error(`the sign-in service refused the code (${res.status})`);
  const tok = (await res.json()) as { access_token?: string };
  if (!tok.access_token) throw new Error("the sign-in service sent no access token");
  const names = { tenant: s.tenant_claim || "tenant", roles: s.roles_claim || "roles" };
  return { session: signIn(tok.access_token, "oidc", names), next: pending.next || "/" };
}
