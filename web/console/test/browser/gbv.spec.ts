// GBV tickets: an agent never sees one in a list, on the map or in a map
// tile; the SAPS liaison does, with a notice that the view is logged.
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createTicket, mapReady, screenshot, signIn, tokenFor, somewhereInWard3, type Role, visit } from "./helpers";

/** The tile at zoom z holding a point. */
function tileOf(lat: number, lng: number, z: number) {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n) };
}

/** The centre of the zoom-18 tile around a random point of ward 3: a spot of this test's own. */
function spot() {
  const p = somewhereInWard3();
  const t = tileOf(p.lat, p.lng, 18);
  const n = 2 ** 18;
  const lng = ((t.x + 0.5) / n) * 360 - 180;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (t.y + 0.5)) / n))) * 180) / Math.PI;
  return { lat, lng };
}

async function tileBytes(request: APIRequestContext, role: Role, at: { lat: number; lng: number }, z: number, tenant = "CPT"): Promise<Buffer> {
  const { x, y } = tileOf(at.lat, at.lng, z);
  const res = await request.get(`/v1/tiles/tickets/${z}/${x}/${y}`, { headers: { Authorization: `Bearer ${await tokenFor(request, role, tenant)}` } });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/vnd.mapbox-vector-tile");
  return res.body();
}

test("an agent never sees a GBV ticket in a list, on the map or in a tile; the SAPS liaison does", async ({ page, request }) => {
  // Two tickets 20 m apart in the middle of one zoom-18 tile: separate
  // points on tiles of zoom 16 and 18.
  const at = spot();
  const gbv = await createTicket(request, "CATEGORY_GBV", "Threatened by a neighbour at the shop", at);
  const water = await createTicket(request, "CATEGORY_WATER", "Leak beside the shop", { lat: at.lat, lng: at.lng + 0.0002 });

  await test.step("tiles: the id is in the SAPS liaison's tile and in no agent's", async () => {
    for (const z of [16, 18]) {
      expect((await tileBytes(request, "saps_liaison", at, z)).includes(Buffer.from(gbv.id)), `SAPS tile z${z}`).toBeTruthy();
      const agentTile = await tileBytes(request, "agent", at, z);
      expect(agentTile.includes(Buffer.from(water.id)), `agent tile z${z} shows the water ticket`).toBeTruthy();
      expect(agentTile.includes(Buffer.from(gbv.id)), `agent tile z${z}`).toBeFalsy();
      for (const role of ["team_manager", "municipal_admin", "citizen"] as const) {
        expect((await tileBytes(request, role, at, z)).includes(Buffer.from(gbv.id)), `${role} tile z${z}`).toBeFalsy();
      }
      // Another tenant's liaison gets an empty tile here.
      expect((await tileBytes(request, "saps_liaison", at, z, "JHB")).length, "JHB tile").toBe(0);
    }
  });

  await test.step("lists and the map, as the agent sees them", async () => {
    await signIn(page, "agent");
    await visit(page, "/console/tickets?category=CATEGORY_GBV");
    await expect(page.getByText("No ticket matches these filters.")).toBeVisible();
    await visit(page, `/console/tickets?q=${gbv.reference}`);
    await expect(page.getByText("No ticket matches these filters.")).toBeVisible();
    await visit(page, `/console/map?lat=${at.lat}&lng=${at.lng}&z=17`);
    await mapReady(page);
    const inView = page.getByTestId("tickets-in-view");
    await expect(inView.locator(`[data-ticket-id="${water.id}"]`)).toBeVisible();
    await expect(inView.locator(`[data-ticket-id="${gbv.id}"]`)).toHaveCount(0);
    await screenshot(page, "map-agent-zoomed");
    // The GBV ticket's page reads exactly as the page of an id that does
    // not exist: nothing on it tells that the id is a GBV report.
    await visit(page, `/console/tickets/00000000-0000-4000-8000-000000000000`);
    await expect(page.getByText("There is no ticket with this id that you may see.")).toBeVisible();
    const missing = await page.locator("main").innerText();
    await visit(page, `/console/tickets/${gbv.id}`);
    await expect(page.getByText("There is no ticket with this id that you may see.")).toBeVisible();
    expect(await page.locator("main").innerText()).toBe(missing);
  });

  await test.step("the SAPS liaison sees it, told that the view is logged", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, "saps_liaison");
    await visit(page, `/console/map?lat=${at.lat}&lng=${at.lng}&z=17`);
    await mapReady(page);
    await expect(page.getByTestId("tickets-in-view").locator(`[data-ticket-id="${gbv.id}"]`)).toBeVisible();
    await page.getByTestId("tickets-in-view").getByRole("link", { name: gbv.reference }).click();
    await expect(page.getByTestId("gbv-notice")).toContainText("recorded in the access log");
    await expect(page.getByText("Threatened by a neighbour at the shop")).toBeVisible();
    await expect(page.getByTestId("ticket-team")).toHaveText("SAPS GBV Liaison", { timeout: 30_000 });
    await screenshot(page, "ticket-gbv-saps");
  });
});
