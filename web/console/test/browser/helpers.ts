// What the browser tests share: signing in as a person would, calling the
// API as a given role to set up data, axe-core checks and screenshots.
import { expect, type APIRequestContext, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";

export const TENANT = "CPT";
/** A point inside the demo municipality's generated ward 3 (north-west square). */
export const WARD3 = { lat: -33.75, lng: 18.45 };

/** A point of its own in ward 3 for each test ticket, so tickets of different tests are not merged on a tile. */
export function somewhereInWard3(): { lat: number; lng: number } {
  return { lat: -33.85 + Math.random() * 0.2, lng: 18.35 + Math.random() * 0.2 };
}

export type Role = "agent" | "team_manager" | "municipal_admin" | "saps_liaison" | "platform_admin" | "citizen";

/** Signs in through the development sign-in page, as a person would. */
export async function signIn(page: Page, role: Role, next = "/console/") {
  await page.goto(next);
  await expect(page.getByRole("heading", { name: "Sign in to the Trust Engine console" })).toBeVisible();
  await page.getByLabel("Role").selectOption(role);
  await page.getByLabel("Municipality code").fill(TENANT);
  await page.getByRole("button", { name: /^Sign in as/ }).click();
  await expect(page.getByTestId("who")).toContainText(role.replace(/_/g, " "));
}

/**
 * Opens a console path inside the running app, as an in-app link does: the
 * session lives in the page's memory, so a page load would sign out.
 */
export async function visit(page: Page, path: string) {
  await page.evaluate((p) => {
    history.pushState(null, "", p);
    dispatchEvent(new PopStateEvent("popstate"));
  }, path);
  await expect(page).toHaveURL(new RegExp(path.replace(/[?.*+^$()[\]{}|\\]/g, "\\$&") + "$"));
}

/** A development token for role, straight from the gateway (for test set-up only). */
export async function tokenFor(request: APIRequestContext, role: Role, tenant = TENANT): Promise<string> {
  const res = await request.post("/console/dev-token", { data: { role, tenant } });
  expect(res.ok(), await res.text()).toBeTruthy();
  return ((await res.json()) as { token: string }).token;
}

/** Calls the JSON API as role and returns the parsed answer. */
export async function api<T = Record<string, any>>(request: APIRequestContext, role: Role, method: string, path: string, body?: unknown, tenant = TENANT): Promise<T> {
  const token = await tokenFor(request, role, tenant);
  const res = await request.fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { data: body }),
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBeTruthy();
  return (await res.json()) as T;
}

/** Creates a ticket through the API (as a citizen unless said otherwise). */
export async function createTicket(request: APIRequestContext, category: string, description: string, at = somewhereInWard3(), role: Role = "citizen") {
  const r = await api(request, role, "POST", "/v1/tickets", { category, description, location: { latitude: at.lat, longitude: at.lng }, address: "Test street" });
  return r.ticket as { id: string; reference: string };
}

/** Runs axe-core on the page: no serious or critical violation is allowed. */
export async function expectAccessible(page: Page, view: string) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), `axe on ${view}`).toEqual([]);
}

/** Saves a screenshot of the view for review, under test-output/screenshots. */
export async function screenshot(page: Page, name: string) {
  mkdirSync("test-output/screenshots", { recursive: true });
  await page.screenshot({ path: `test-output/screenshots/${name}.png`, fullPage: true });
}

/** Waits until the map has drawn (or reported that it cannot). */
export async function mapReady(page: Page) {
  await expect(page.locator(".map[data-state='ready']").first()).toBeVisible({ timeout: 30_000 });
}
