import { test } from "node:test";
import assert from "node:assert/strict";
import { base64url, codeChallenge, codeVerifier, isCodeVerifier } from "../../src/auth/pkce.ts";

test("the S256 challenge of the RFC 7636 appendix B verifier is the RFC's", async () => {
  assert.equal(await codeChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
});

test("the RFC 7636 appendix B octets make its verifier", () => {
  const octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
  assert.equal(codeVerifier(() => new Uint8Array(octets)), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
});

test("a verifier is 43 unreserved characters and differs every time", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const v = codeVerifier();
    assert.equal(v.length, 43);
    assert.ok(isCodeVerifier(v), v);
    seen.add(v);
  }
  assert.equal(seen.size, 100);
});

test("base64url has no padding, plus or slash", () => {
  assert.equal(base64url(new Uint8Array([251, 255, 191])), "-_-_");
  assert.equal(base64url(new Uint8Array([0])), "AA");
});

test("too short or badly made verifiers are refused", () => {
  assert.equal(isCodeVerifier("short"), false);
  assert.equal(isCodeVerifier("a".repeat(42)), false);
  assert.equal(isCodeVerifier("a".repeat(43)), true);
  assert.equal(isCodeVerifier("a".repeat(129)), false);
  assert.equal(isCodeVerifier("a".repeat(42) + "+"), false);
});
