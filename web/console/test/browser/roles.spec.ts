// Each role signs in through the development sign-in and lands on its
// first view; every main view passes axe-core and is saved as a screenshot.
import { expect, test } from "@playwright/test";
import { createTicket, expectAccessible, mapReady, screenshot, signIn, type Role, visit } from "./helpers";

const landings: Array<[Role, RegExp, string]> = [
  ["agent", /\/console\/queues\/team/, "My team's queue"],
  ["team_manager", /\/console\/queues\/team/, "My team's queue"],
  ["municipal_admin", /\/console\/queues\/team/, "My team's queue"],
  ["saps_liaison", /\/console\/tickets\?category=CATEGORY_GBV/, "All tickets"],
  ["platform_admin", /\/console\/dashboard/, "Dashboard"],
  ["citizen", /\/console\/map/, "Map"],
];

for (const [role, url, heading] of landings) {
  test(`a ${role.replace(/_/g, " ")} signs in and lands on ${heading}`, async ({ page }) => {
    await signIn(page, role);
    await expect(page).toHaveURL(url);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await expectAccessible(page, `${role} landing`);
    await screenshot(page, `landing-${role}`);
  });
}

test("the sign-in page is accessible and says which roles exist", async ({ page }) => {
  await page.goto("/console/");
  await expect(page).toHaveURL(/\/console\/signin/);
  await expect(page.getByLabel("Role").locator("option")).toHaveCount(6);
  await expectAccessible(page, "sign-in");
  await screenshot(page, "signin");
});

test("every main view of a municipal admin passes axe-core, with no Content-Security-Policy violation", async ({ page, request }) => {
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) blocked.push(m.text());
  });
  const t = await createTicket(request, "CATEGORY_ROADS", "Pothole for the accessibility check");
  await signIn(page, "municipal_admin");
  const views: Array<[string, string, boolean?]> = [
    ["/console/queues/team", "queue-team"],
    ["/console/queues/triage", "queue-triage"],
    ["/console/queues/at-risk", "queue-at-risk"],
    ["/console/queues/breached", "queue-breached"],
    ["/console/tickets", "tickets"],
    [`/console/tickets/${t.id}`, "ticket", true],
    ["/console/map", "map", true],
    ["/console/dashboard", "dashboard"],
    ["/console/admin/teams", "admin-teams"],
    ["/console/admin/sla", "admin-sla"],
    ["/console/admin/api-keys", "admin-api-keys"],
  ];
  for (const [path, name, hasMap] of views) {
    await visit(page, path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator(".loading")).toHaveCount(0, { timeout: 20_000 });
    if (hasMap) await mapReady(page);
    await expectAccessible(page, name);
    await screenshot(page, name);
  }
  await page.getByRole("link", { name: "Administration" }).click();
  await page.getByRole("link", { name: "Roads and Stormwater" }).click();
  await mapReady(page);
  await expectAccessible(page, "team editor");
  await screenshot(page, "admin-team-editor");
  expect(blocked, "the console breaks its own Content-Security-Policy").toEqual([]);
});
