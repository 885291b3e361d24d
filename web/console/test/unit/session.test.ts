import { test } from "node:test";
import assert from "node:assert/strict";
import { claimAt, claimsOf } from "../../src/auth/session.ts";

/** An unsigned JWT of claims (the console only reads tokens; the services verify them). */
function jwt(claims: Record<string, unknown>): string {
  const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
  return `${b64('{"alg":"RS256"}')}.${b64(JSON.stringify(claims))}.sig`;
}

test("the suite's own tokens carry tenant and roles under their plain names", () => {
  assert.deepEqual(claimsOf(jwt({ sub: "dev-agent-cpt", tenant: "CPT", roles: ["agent"], exp: 10 })), { sub: "dev-agent-cpt", tenant: "CPT", roles: ["agent"], exp: 10 });
});

test("an issuer's tokens are read where the gateway says, as the services read them", () => {
  const token = jwt({ sub: "thandi", municipality: "JHB", realm_access: { roles: ["team_manager", "agent"] }, exp: 20 });
  assert.deepEqual(claimsOf(token, { tenant: "municipality", roles: "realm_access.roles" }), { sub: "thandi", tenant: "JHB", roles: ["team_manager", "agent"], exp: 20 });
  assert.deepEqual(claimsOf(token).roles, [], "the default names find no roles in it");
});

test("a namespaced claim name with dots is found whole, a single role as a list", () => {
  const c = { "https://trustengine.example/tenant": "CPT", "https://trustengine.example/roles": "saps_liaison" };
  assert.equal(claimAt(c, "https://trustengine.example/tenant"), "CPT");
  assert.deepEqual(claimsOf(jwt(c), { tenant: "https://trustengine.example/tenant", roles: "https://trustengine.example/roles" }).roles, ["saps_liaison"]);
});

test("names outside ASCII survive the token's base64url", () => {
  assert.equal(claimsOf(jwt({ sub: "Nomvula Ngcobo-Möller", tenant: "CPT" })).sub, "Nomvula Ngcobo-Möller");
});
