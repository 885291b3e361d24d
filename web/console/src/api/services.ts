// The services of the contract, re-exported for views, and the queries
// several views share (so they share one cache entry).
import { RoutingService } from "../gen/salga/routing/v1/routing_service_pb";
import { SlaService } from "../gen/salga/sla/v1/sla_service_pb";
import { TicketService } from "../gen/salga/ticket/v1/ticket_service_pb";
import { call } from "./client";
import { useQuery } from "./data";
import type { Team } from "../gen/salga/routing/v1/routing_pb";

export { RoutingService, SlaService, TicketService };

/** The tenant's teams (active and inactive, without areas), by name. */
export function useTeams() {
  return useQuery("teams:all", async () => {
    const out: Team[] = [];
    let pageToken = "";
    do {
      const r = await call(RoutingService.method.listTeams, { includeInactive: true, pageSize: 1000, pageToken });
      out.push(...r.teams);
      pageToken = r.nextPageToken;
    } while (pageToken);
    return out;
  }, 60_000);
}

/** The tenant's teams with their service areas, for the map. */
export function useTeamAreas(enabled = true) {
  return useQuery(enabled ? "teams:areas" : null, async () => {
    const r = await call(RoutingService.method.listTeams, { includeServiceArea: true, pageSize: 1000 });
    return r.teams;
  }, 60_000);
}
