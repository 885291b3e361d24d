// The signed-in user, kept in memory only (never localStorage or cookies):
// a reload or a closed tab ends the session, as the console's security rule
// asks, and a stolen disk holds no token.
export type Role = "citizen" | "agent" | "team_manager" | "municipal_admin" | "saps_liaison" | "platform_admin";

export type Session = {
  token: string;
  subject: string;
  tenant: string;
  roles: string[];
  expiresAt: Date;
  via: "development" | "oidc";
};

let session: Session | null = null;
let notice = "";
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

/** Calls fn whenever the session changes; returns the unsubscribe. */
export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function currentSession(): Session | null {
  if (session && session.expiresAt.getTime() <= Date.now()) {
    signOut("Your session has expired. Please sign in again.");
  }
  return session;
}

export function currentToken(): string | null {
  return currentSession()?.token ?? null;
}

/** Why the last session ended, shown on the sign-in page once. */
export function takeNotice(): string {
  const n = notice;
  notice = "";
  return n;
}

/** Where a token carries the tenant and the roles (the services' OIDC_TENANT_CLAIM and OIDC_ROLES_CLAIM). */
export type ClaimNames = { tenant: string; roles: string };

/** The suite's own tokens (development sign-in) and the default for an issuer's. */
export const defaultClaimNames: ClaimNames = { tenant: "tenant", roles: "roles" };

/** A claim by name or, when no top-level claim has that name, by dotted path (realm_access.roles), as the services read it. */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let cur: unknown = claims;
  for (const part of name.split(".")) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Reads the claims of a JWT (the services verify it; this only displays them). */
export function claimsOf(token: string, names: ClaimNames = defaultClaimNames): { sub: string; tenant: string; roles: string[]; exp: number } {
  const part = token.split(".")[1];
  if (!part) throw new Error("not a JWT");
  const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4)), (ch) => ch.charCodeAt(0));
  const c = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const tenant = claimAt(c, names.tenant);
  const roles = claimAt(c, names.roles);
  return {
    sub: typeof c.sub === "string" ? c.sub : "",
    tenant: typeof tenant === "string" ? tenant : "",
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === "string") : typeof roles === "string" ? [roles] : [],
    exp: typeof c.exp === "number" ? c.exp : 0,
  };
}

export function signIn(token: string, via: Session["via"], names: ClaimNames = defaultClaimNames): Session {
  const c = claimsOf(token, names);
  session = { token, subject: c.sub, tenant: c.tenant, roles: c.roles, expiresAt: new Date(c.exp * 1000), via };
  emit();
  return session;
}

export function signOut(why = ""): void {
  if (!session) return;
  session = null;
  notice = why;
  emit();
}

export function hasRole(s: Session | null, ...roles: Role[]): boolean {
  return !!s && roles.some((r) => s.roles.includes(r));
}

/** Staff who work tickets. */
export const isStaff = (s: Session | null) => hasRole(s, "agent", "team_manager", "municipal_admin", "saps_liaison");
/** Who may reassign tickets (routing's rule). */
export const canReassign = (s: Session | null) => hasRole(s, "team_manager", "municipal_admin", "saps_liaison");
/** Who administers a municipality's teams and API keys. */
export const isAdmin = (s: Session | null) => hasRole(s, "municipal_admin", "platform_admin");
