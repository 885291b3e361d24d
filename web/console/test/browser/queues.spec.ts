// The SLA queues with live countdowns: tickets under tiny SLA targets show
// up at risk (soonest breach first) and then breached.
import { expect, test } from "@playwright/test";
import { api, createTicket, screenshot, signIn, visit } from "./helpers";

test("tickets at risk and breached show in their queues with countdowns", async ({ page, request }) => {
  // Tiny targets for two categories no other test uses.
  await api(request, "platform_admin", "POST", "/v1/sla/configs", { municipality: "CPT", category: "CATEGORY_ELECTRICITY", response_hours: 0.05, resolution_hours: 1, warning_threshold_pct: 5 });
  await api(request, "platform_admin", "POST", "/v1/sla/configs", { municipality: "CPT", category: "CATEGORY_SANITATION", response_hours: 0.004, resolution_hours: 1, warning_threshold_pct: 50 });
  const risky = await createTicket(request, "CATEGORY_ELECTRICITY", "Streetlight out, at risk soon");
  const late = await createTicket(request, "CATEGORY_SANITATION", "Sewer overflow, breached soon");

  await signIn(page, "agent");
  await visit(page, "/console/queues/at-risk");
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByRole("link", { name: risky.reference })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 40_000 });
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: risky.reference }) });
  await expect(row.getByTestId("countdown")).toContainText("left");
  await screenshot(page, "queue-at-risk-live");

  await page.getByRole("link", { name: "Breached" }).click();
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByRole("link", { name: late.reference })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 45_000 });
  const lateRow = page.getByRole("row").filter({ has: page.getByRole("link", { name: late.reference }) });
  await expect(lateRow.getByTestId("countdown")).toContainText("overdue");
  await screenshot(page, "queue-breached-live");
});

test("the triage queue lists tickets no team matched", async ({ page, request }) => {
  // With the only team of "other" deactivated, such a ticket has no team
  // to go to and waits in triage.
  const teams = await api(request, "municipal_admin", "GET", "/v1/teams?category=CATEGORY_OTHER");
  for (const t of teams.teams as Array<{ id: string }>) await api(request, "municipal_admin", "POST", `/v1/teams/${t.id}:deactivate`, {});
  const t = await createTicket(request, "CATEGORY_OTHER", "Stray dogs in the park, for triage");
  await signIn(page, "agent");
  await visit(page, "/console/queues/triage");
  await expect(async () => {
    await page.getByRole("button", { name: "Refresh" }).click();
    await expect(page.getByRole("link", { name: t.reference })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await screenshot(page, "queue-triage-live");
});
