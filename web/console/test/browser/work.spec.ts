// Working a ticket end to end as staff do: report it from the map, see it
// routed with a live countdown, change its status, reassign it, and work a
// queue in bulk.
import { expect, test } from "@playwright/test";
import { api, createTicket, mapReady, screenshot, signIn, visit } from "./helpers";

test("an agent reports a ticket from the map, sees it routed with its countdown, and moves it on", async ({ page }) => {
  await signIn(page, "agent");
  await page.getByRole("link", { name: "Map" }).click();
  await mapReady(page);
  await page.getByRole("button", { name: "Report a ticket here" }).click();
  // The demo city is a square of four wards; a quarter in from the
  // top-left corner of the map lies in ward 3.
  const box = (await page.locator(".map").boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.35, box.y + box.height * 0.3);
  await expect(page.getByLabel("Latitude")).not.toHaveValue("");
  const lat = Number(await page.getByLabel("Latitude").inputValue());
  const lng = Number(await page.getByLabel("Longitude").inputValue());
  expect(lat).toBeGreaterThan(-33.9);
  expect(lng).toBeLessThan(18.6);
  await page.getByLabel("Category").selectOption({ label: "Water" });
  await page.getByLabel("What is wrong").fill("Burst pipe flooding the road, reported from the map");
  await page.getByLabel("Address or landmark").fill("Corner of Long and Short St");
  await screenshot(page, "map-report");
  await page.getByRole("button", { name: "Report ticket" }).click();

  await expect(page).toHaveURL(/\/console\/tickets\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("ticket-team")).toHaveText("Water ward 3", { timeout: 30_000 });
  await expect(page.getByTestId("routing-reason")).toContainText("geospatial routing");
  const countdown = page.getByTestId("countdown").first();
  await expect(countdown).toContainText("left");
  const first = await countdown.textContent();
  await page.waitForTimeout(2100);
  expect(await countdown.textContent(), "the countdown is live").not.toEqual(first);
  await expect(page.getByTestId("calendar-explanation")).toContainText("first response within");
  await screenshot(page, "ticket-routed");

  await page.getByLabel("New status").selectOption({ label: "In progress" });
  await page.getByLabel(/^Reason/).fill("Crew on site");
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(page.getByTestId("ticket-status")).toHaveText("In progress");
  await expect(page.getByTestId("history")).toContainText("Open → In progress");

  await page.getByLabel("Note", { exact: true }).fill("Valve closed, digging");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.locator(".notes")).toContainText("Valve closed, digging");

  // An illegal move is refused by the API, and its message is shown.
  await page.getByLabel("New status").selectOption({ label: "Cancelled" });
  await page.getByRole("button", { name: "Change status" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /reason/i })).toBeVisible();
});

test("a team manager reassigns a ticket with a reason, and the back button returns to the list", async ({ page, request }) => {
  const t = await createTicket(request, "CATEGORY_WATER", "Leak to reassign");
  await expect.poll(async () => (await api(request, "agent", "GET", `/v1/tickets/${t.id}`)).ticket.assigned_team_name, { timeout: 30_000 }).toBe("Water ward 3");
  await signIn(page, "team_manager");
  await visit(page, `/console/tickets?q=${t.reference}`);
  await page.getByRole("link", { name: t.reference }).click();
  await expect(page.getByTestId("ticket-team")).toHaveText("Water ward 3");
  await page.getByLabel("Reassign to").selectOption({ label: "Water ward 4" });
  await page.getByLabel("Reason for the reassignment").fill("Ward 4 crew is closer today");
  await page.getByRole("button", { name: "Reassign", exact: true }).click();
  await expect(page.getByTestId("routing-reason")).toContainText("Water ward 4: manual override", { timeout: 20_000 });
  await expect(page.getByTestId("routing-reason")).toContainText("Ward 4 crew is closer today");
  await expect(page.getByTestId("ticket-team")).toHaveText("Water ward 4", { timeout: 20_000 });
  await screenshot(page, "ticket-reassigned");
  await page.goBack();
  await expect(page).toHaveURL(/\/console\/tickets\?q=/);
  await expect(page.getByRole("link", { name: t.reference })).toBeVisible();
});

test("a team manager changes the status of several tickets at once, with a reason", async ({ page, request }) => {
  const a = await createTicket(request, "CATEGORY_ROADS", "Bulk pothole one");
  const b = await createTicket(request, "CATEGORY_ROADS", "Bulk pothole two");
  await signIn(page, "team_manager");
  await visit(page, "/console/tickets?q=Bulk+pothole");
  await page.getByLabel(`Select ${a.reference}`).check();
  await page.getByLabel(`Select ${b.reference}`).check();
  const bulk = page.getByRole("form", { name: "Bulk actions" });
  await bulk.getByRole("combobox", { name: /^New status/ }).selectOption({ label: "In progress" });
  await bulk.getByRole("textbox", { name: "Reason" }).fill("Patching crew assigned");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status").filter({ hasText: "2 changed to In progress" })).toBeVisible();
  for (const t of [a, b]) {
    expect((await api(request, "agent", "GET", `/v1/tickets/${t.id}`)).ticket.status).toBe("TICKET_STATUS_IN_PROGRESS");
  }
});

test("deep links survive sign-in and reloads", async ({ page, request }) => {
  const t = await createTicket(request, "CATEGORY_WASTE", "Uncollected refuse, deep link");
  await page.goto(`/console/tickets/${t.id}`);
  await expect(page).toHaveURL(/\/console\/signin\?next=/);
  await page.getByLabel("Role").selectOption("agent");
  await page.getByRole("button", { name: /^Sign in as/ }).press("Enter");
  await expect(page).toHaveURL(new RegExp(`/console/tickets/${t.id}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(t.reference);
  // The token lives in memory only: a reload asks to sign in again.
  await page.reload();
  await expect(page).toHaveURL(/\/console\/signin\?next=/);
  expect(await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage))).not.toContain("ey");
});

test("the keyboard works the console: a link followed with Enter moves focus to the new page's heading", async ({ page }) => {
  await signIn(page, "agent");
  const tickets = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tickets" });
  await tickets.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/console\/tickets$/);
  await expect(page.getByRole("heading", { level: 1, name: "All tickets" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "My team" })).toBeFocused();
});
