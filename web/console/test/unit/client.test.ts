import { test } from "node:test";
import assert from "node:assert/strict";
import { encode, route } from "../../src/api/client.ts";
import { RoutingService } from "../../src/gen/salga/routing/v1/routing_service_pb.ts";
import { TicketService } from "../../src/gen/salga/ticket/v1/ticket_service_pb.ts";

test("routes come from the contract's google.api.http options", () => {
  assert.deepEqual(route(TicketService.method.listTickets), { verb: "GET", path: "/v1/tickets", body: "" });
  assert.deepEqual(route(TicketService.method.updateTicketStatus), { verb: "POST", path: "/v1/tickets/{id}:updateStatus", body: "*" });
  assert.deepEqual(route(RoutingService.method.updateTeam), { verb: "PATCH", path: "/v1/teams/{id}", body: "team" });
  assert.deepEqual(route(TicketService.method.getTicketTile), { verb: "GET", path: "/v1/tiles/tickets/{z}/{x}/{y}", body: "" });
});

test("a GET puts fields in the query, nested with dots and repeated by name", () => {
  const r = encode(TicketService.method.listTickets, { statuses: ["TICKET_STATUS_OPEN", "TICKET_STATUS_IN_PROGRESS"], bbox: { min_latitude: -34 }, query: "a b" });
  assert.equal(r.verb, "GET");
  assert.equal(r.url, "/v1/tickets?statuses=TICKET_STATUS_OPEN&statuses=TICKET_STATUS_IN_PROGRESS&bbox.min_latitude=-34&query=a+b");
  assert.equal(r.body, undefined);
});

test("path fields fill the path and a body field becomes the body", () => {
  const r = encode(RoutingService.method.updateTeam, { id: "t/1", team: { name: "X" }, update_mask: "name,serviceArea" });
  assert.equal(r.url, "/v1/teams/t%2F1?update_mask=name%2CserviceArea");
  assert.equal(r.body, JSON.stringify({ name: "X" }));
  const s = encode(TicketService.method.updateTicketStatus, { id: "abc", status: "TICKET_STATUS_RESOLVED", reason: "fixed" });
  assert.equal(s.url, "/v1/tickets/abc:updateStatus");
  assert.equal(s.body, JSON.stringify({ status: "TICKET_STATUS_RESOLVED", reason: "fixed" }));
});

test("a missing path field is refused before any request", () => {
  assert.throws(() => encode(TicketService.method.getTicket, {}), /id is required/);
});
