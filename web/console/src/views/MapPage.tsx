// The overview map: tickets coloured by SLA state and clustered, over the
// municipality's boundary and the teams' areas; a click on "Report a
// ticket here" and then on the map starts a new ticket at that point.
import { useRef, useState } from "preact/hooks";
import { CategorySchema } from "../gen/salga/common/v1/common_pb";
import { call, tileTemplate } from "../api/client";
import { useQuery } from "../api/data";
import { RoutingService, TicketService, useTeamAreas } from "../api/services";
import { currentSession, currentToken, isStaff } from "../auth/session";
import { getConfig } from "../config";
import { enumName, label } from "../format";
import { currentRoute, href, navigate, setQuery, useRoute } from "../router";
import { slaLabel, slaState } from "../sla";
import { ErrorNote, Loading, Page, SlaBadge } from "../ui/common";
import { POINT_ZOOM_LEVEL, TicketMap, type MapController } from "../map/TicketMap";
import { areasOf, asGeometry, bboxOf } from "../map/geo";
import { NewTicketForm } from "./NewTicketForm";
import type { Ticket } from "../gen/salga/ticket/v1/ticket_pb";

export function useMunicipality() {
  const tenant = currentSession()?.tenant ?? "";
  return useQuery(tenant ? `municipality:${tenant}` : null, () => call(RoutingService.method.getMunicipality, { code: tenant }), 300_000);
}

export function MapPage() {
  const route = useRoute();
  const start = useRef({ lat: Number(route.query.get("lat")), lng: Number(route.query.get("lng")), z: Number(route.query.get("z")) });
  const muni = useMunicipality();
  const staff = isStaff(currentSession());
  const areas = useTeamAreas(staff);
  const ctl = useRef<MapController | null>(null);
  const [inView, setInView] = useState<Ticket[] | null>(null);
  const [zoomedOut, setZoomedOut] = useState(true);
  const [picking, setPicking] = useState(false);
  const [point, setPoint] = useState<{ lng: number; lat: number } | null>(null);
  const [viewError, setViewError] = useState<unknown>(null);
  const pickingRef = useRef(false);
  pickingRef.current = picking;

  if (muni.loading || (staff && areas.loading)) return <Page title="Map"><Loading what="the municipality's boundary and team areas" /></Page>;
  if (muni.error) return <Page title="Map"><ErrorNote error={muni.error} /></Page>;
  const boundary = asGeometry(muni.data?.municipality?.boundary);
  const cfg = getConfig();

  const onView = async (b: { west: number; south: number; east: number; north: number }, zoom: number) => {
    // The map may report a last move after the view changed.
    if (currentRoute().path !== "/map") return;
    // The view is part of the URL, so a map position can be shared and survives a reload.
    const q = new URLSearchParams(location.search);
    q.set("lat", ((b.north + b.south) / 2).toFixed(5));
    q.set("lng", ((b.east + b.west) / 2).toFixed(5));
    q.set("z", zoom.toFixed(1));
    setQuery(q);
    if (zoom < POINT_ZOOM_LEVEL) {
      setZoomedOut(true);
      setInView(null);
      ctl.current?.setTickets([]);
      return;
    }
    setZoomedOut(false);
    try {
      const r = await call(TicketService.method.listTickets, {
        bbox: { minLatitude: b.south, minLongitude: b.west, maxLatitude: b.north, maxLongitude: b.east }, pageSize: 500,
      });
      setViewError(null);
      setInView(r.tickets);
      const now = new Date();
      ctl.current?.setTickets(r.tickets.map((t) => ({
        id: t.id, reference: t.reference, sla: slaState(t, now), category: enumName(CategorySchema, t.category),
        lng: t.location?.longitude ?? 0, lat: t.location?.latitude ?? 0,
      })));
    } catch (err) {
      setViewError(err);
    }
  };

  return (
    <Page
      title="Map"
      actions={
        <button type="button" aria-pressed={picking} onClick={() => { setPicking(!picking); setPoint(null); }}>
          {picking ? "Cancel reporting" : "Report a ticket here"}
        </button>
      }
    >
      {picking && !point && <p class="hint" role="status">Click the map where the problem is, or type its position in the form.</p>}
      <div class="map-layout">
        <TicketMap
          label="Map of tickets, team areas and the municipal boundary"
          options={{
            token: currentToken,
            tileUrl: cfg.tile_url, tileAttribution: cfg.tile_attribution,
            ticketTiles: staff || currentSession()?.roles.includes("citizen") ? tileTemplate(TicketService.method.getTicketTile, {}) : undefined,
            boundary,
            areas: areasOf(areas.data ?? []),
            onView: (b, z) => void onView(b, z),
            onPick: (lng, lat) => {
              if (!pickingRef.current) return;
              setPoint({ lng, lat });
              ctl.current?.showPoint(lng, lat);
            },
            onOpen: (id) => navigate(`/tickets/${id}`),
          }}
          onReady={(m) => {
            ctl.current = m;
            const { lat, lng, z } = start.current;
            if (lat && lng && z) m.map.jumpTo({ center: [lng, lat], zoom: z });
            else {
              const bb = bboxOf(boundary);
              if (bb) m.fit(bb);
            }
          }}
        />
        <aside class="map-side">
          {picking ? (
            <NewTicketForm point={point} onPoint={(p) => { setPoint(p); ctl.current?.showPoint(p.lng, p.lat); }} />
          ) : (
            <>
              <h2>Tickets in view</h2>
              <ul class="legend" aria-label="Legend">
                {(["breached", "at_risk", "on_time", "none"] as const).map((s) => (
                  <li key={s}>
                    <SlaBadge state={s} /> {s === "none" ? "finished, paused or not yet clocked" : slaLabel[s].toLowerCase()}
                  </li>
                ))}
              </ul>
              <ErrorNote error={viewError} />
              {zoomedOut && <p class="muted">Zoomed out, tickets are drawn from map tiles with counts. Zoom in to list them here.</p>}
              {inView && inView.length === 0 && <p class="empty">No ticket here.</p>}
              {inView && inView.length > 0 && (
                <ul class="in-view" data-testid="tickets-in-view">
                  {inView.map((t) => (
                    <li key={t.id} data-ticket-id={t.id}>
                      <a href={href(`/tickets/${t.id}`)}>{t.reference}</a> {label(CategorySchema, t.category)} <SlaBadge state={slaState(t)} />
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </aside>
      </div>
    </Page>
  );
}
