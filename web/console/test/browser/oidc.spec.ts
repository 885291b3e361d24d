// Signing in through the municipality's OpenID Connect issuer, as staff do
// in production: here the suite's test issuer (libs/cmd/testissuer, started
// by scripts/console-suite.sh), through the real redirect flow
// (authorization code with PKCE), and the services verify its tokens with
// the keys of its JWKS.
import { expect, test } from "@playwright/test";
import { api, createTicket, expectAccessible, screenshot } from "./helpers";

test("a team manager signs in through the OpenID Connect issuer, works a ticket, and no token is left in storage or cookies", async ({ page, request, context }) => {
  const t = await createTicket(request, "CATEGORY_WATER", "Leak to work after signing in with the municipal account");
  await expect.poll(async () => (await api(request, "agent", "GET", `/v1/tickets/${t.id}`)).ticket.assigned_team_name, { timeout: 30_000 }).toBe("Water ward 3");

  // A deep link asks to sign in; the issuer's page is on its own origin.
  await page.goto(`/console/tickets/${t.id}`);
  await expect(page).toHaveURL(/\/console\/signin\?next=/);
  await page.getByRole("button", { name: "Sign in with your municipal account" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to the test identity provider" })).toBeVisible();
  const authorize = new URL(page.url());
  expect(authorize.origin).not.toEqual(new URL(process.env.CONSOLE_URL!).origin);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await page.getByLabel("User id").fill("oidc-thandi");
  await page.getByLabel("Municipality code").fill("CPT");
  await page.getByLabel("team_manager").check();
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back through /console/oidc/callback to the page that asked.
  await expect(page).toHaveURL(new RegExp(`/console/tickets/${t.id}$`));
  await expect(page.getByTestId("who")).toContainText("team manager");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(t.reference);
  await expectAccessible(page, "ticket after OIDC sign-in");

  // The services accept the issuer's token: the change is made and recorded as this person's.
  await page.getByLabel("New status").selectOption({ label: "In progress" });
  await page.getByRole("textbox", { name: /^Reason \(recorded/ }).fill("Crew dispatched, signed in with the municipal account");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(page.getByTestId("ticket-status")).toHaveText("In progress");
  await expect(page.getByTestId("history")).toContainText("oidc-thandi");
  await screenshot(page, "ticket-oidc");

  // Nothing of the session is stored: not in localStorage, not in
  // sessionStorage (the PKCE verifier was removed at the callback), not in
  // a cookie of the console or of the issuer.
  expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 });
  expect(await context.cookies()).toEqual([]);
  await page.reload();
  await expect(page).toHaveURL(/\/console\/signin\?next=/);
});

test("a sign-in answer the console did not ask for is refused", async ({ page }) => {
  await page.goto("/console/oidc/callback?code=forged&state=forged");
  await expect(page.getByRole("alert")).toContainText("Sign-in failed: no sign-in was started from this tab");
  await expect(page.getByTestId("who")).toHaveCount(0);
});
