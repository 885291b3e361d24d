// The map itself (MapLibre GL JS), in its own chunk so the queues load
// without it. The base layer is the municipality's boundary and the teams'
// service areas from the API, so it works with no tile server; a raster
// tile URL, when configured, adds streets underneath. Tickets come from the
// ticket service's vector tiles at low zoom (a tenant of a million tickets
// never loads a million points) and as clustered GeoJSON points from
// ListTickets when zoomed in.
import * as maplibregl from "maplibre-gl";
import type { GeoJSONSource, LngLatBoundsLike, StyleSpecification } from "maplibre-gl";

maplibregl.setWorkerUrl(MAPLIBRE_WORKER_URL);

/** The zoom from which tickets are drawn from ListTickets instead of tiles. */
export const POINT_ZOOM = 13;

export type TicketPoint = { id: string; reference: string; sla: string; category: string; lng: number; lat: number };

export type MapOptions = {
  token: () => string | null;
  tileUrl?: string | undefined;
  tileAttribution?: string | undefined;
  ticketTiles?: string | undefined;
  boundary?: GeoJSON.Geometry | undefined;
  areas?: GeoJSON.FeatureCollection | undefined;
  center?: [number, number] | undefined;
  zoom?: number | undefined;
  interactive?: boolean;
  onView?: (bounds: { west: number; south: number; east: number; north: number }, zoom: number) => void;
  onPick?: (lng: number, lat: number) => void;
  onOpen?: (id: string) => void;
};

const slaColourExpr = (breached: unknown, atRisk: unknown, onTime: unknown) =>
  ["case", [">", breached, 0], "#b3261e", [">", atRisk, 0], "#a15c00", [">", onTime, 0], "#1b6e3a", "#5f6368"] as unknown as string;

function style(o: MapOptions): StyleSpecification {
  const s: StyleSpecification = {
    version: 8,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": "#eef2f0" } }],
  };
  if (o.tileUrl) {
    s.sources.streets = { type: "raster", tiles: [o.tileUrl], tileSize: 256, ...(o.tileAttribution ? { attribution: o.tileAttribution } : {}) };
    s.layers.push({ id: "streets", type: "raster", source: "streets" });
  }
  return s;
}

export function createMap(container: HTMLElement, o: MapOptions) {
  const map = new maplibregl.Map({
    container,
    style: style(o),
    center: o.center ?? [18.6, -33.95],
    zoom: o.zoom ?? 9,
    interactive: o.interactive ?? true,
    attributionControl: o.tileUrl ? {} : false,
    transformRequest: (url) => {
      const t = o.token();
      return url.startsWith(location.origin + "/v1/") && t ? { url, headers: { Authorization: `Bearer ${t}` } } : { url };
    },
  });
  if (o.interactive ?? true) map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  let pickMarker: maplibregl.Marker | null = null;
  const draft: Array<[number, number]> = [];
  let drawing = false;
  let onDraw: ((ring: Array<[number, number]>) => void) | null = null;

  const ready = new Promise<void>((resolve) => map.on("load", () => resolve()));
  map.on("load", () => {
    if (o.boundary) {
      map.addSource("boundary", { type: "geojson", data: { type: "Feature", properties: {}, geometry: o.boundary } });
      map.addLayer({ id: "boundary-fill", type: "fill", source: "boundary", paint: { "fill-color": "#ffffff", "fill-opacity": o.tileUrl ? 0.1 : 0.8 } });
      map.addLayer({ id: "boundary-line", type: "line", source: "boundary", paint: { "line-color": "#1f3a5f", "line-width": 2 } });
    }
    map.addSource("areas", { type: "geojson", data: o.areas ?? { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "areas-line", type: "line", source: "areas", paint: { "line-color": "#4a6fa5", "line-width": 1, "line-opacity": 0.7 } });
    map.addLayer({ id: "areas-highlight", type: "fill", source: "areas", filter: ["==", ["get", "highlight"], true], paint: { "fill-color": "#4a6fa5", "fill-opacity": 0.15 } });
    if (o.ticketTiles) {
      map.addSource("ticket-tiles", { type: "vector", tiles: [o.ticketTiles], minzoom: 0, maxzoom: POINT_ZOOM });
      map.addLayer({
        id: "tile-tickets", type: "circle", source: "ticket-tiles", "source-layer": "tickets", maxzoom: POINT_ZOOM,
        paint: {
          "circle-color": slaColourExpr(["get", "breached"], ["get", "at_risk"], ["get", "on_time"]),
          "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "count"]], 1, 5, 30, 24] as unknown as number,
          "circle-opacity": 0.85, "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
        },
      });
    }
    map.addSource("tickets", {
      type: "geojson", data: { type: "FeatureCollection", features: [] }, cluster: true, clusterMaxZoom: 17, clusterRadius: 40,
      clusterProperties: {
        breached: ["+", ["case", ["==", ["get", "sla"], "breached"], 1, 0]],
        at_risk: ["+", ["case", ["==", ["get", "sla"], "at_risk"], 1, 0]],
        on_time: ["+", ["case", ["==", ["get", "sla"], "on_time"], 1, 0]],
      },
    });
    map.addLayer({
      id: "ticket-clusters", type: "circle", source: "tickets", minzoom: POINT_ZOOM, filter: ["has", "point_count"],
      paint: {
        "circle-color": slaColourExpr(["get", "breached"], ["get", "at_risk"], ["get", "on_time"]),
        "circle-radius": ["interpolate", ["linear"], ["sqrt", ["get", "point_count"]], 1, 10, 20, 28] as unknown as number,
        "circle-opacity": 0.85, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
      },
    });
    map.addLayer({
      id: "ticket-points", type: "circle", source: "tickets", minzoom: POINT_ZOOM, filter: ["!", ["has", "point_count"]],
      paint: {
        "circle-color": ["match", ["get", "sla"], "breached", "#b3261e", "at_risk", "#a15c00", "on_time", "#1b6e3a", "#5f6368"] as unknown as string,
        "circle-radius": 8, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
      },
    });
    map.addSource("draft", { type: "geojson", data: { type: "FeatureCollection", features: [] } });
    map.addLayer({ id: "draft-fill", type: "fill", source: "draft", paint: { "fill-color": "#7b1fa2", "fill-opacity": 0.2 } });
    map.addLayer({ id: "draft-line", type: "line", source: "draft", paint: { "line-color": "#7b1fa2", "line-width": 2 } });
    map.addLayer({ id: "draft-points", type: "circle", source: "draft", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#7b1fa2", "circle-radius": 4 } });
    report();
  });

  const report = () => {
    const b = map.getBounds();
    o.onView?.({ west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() }, map.getZoom());
  };
  map.on("moveend", report);

  map.on("click", (e) => {
    if (drawing) {
      draft.push([e.lngLat.lng, e.lngLat.lat]);
      showDraft();
      return;
    }
    if (o.onPick) {
      o.onPick(e.lngLat.lng, e.lngLat.lat);
      return;
    }
    const f = map.queryRenderedFeatures(e.point, { layers: ["ticket-points", "ticket-clusters", ...(o.ticketTiles ? ["tile-tickets"] : [])] })[0];
    if (!f) return;
    const p = f.properties as Record<string, unknown>;
    if (typeof p.id === "string" && o.onOpen) o.onOpen(p.id);
    else map.easeTo({ center: e.lngLat, zoom: Math.max(map.getZoom() + 2, POINT_ZOOM) });
  });
  for (const layer of ["ticket-points", "ticket-clusters", "tile-tickets"]) {
    map.on("mouseenter", layer, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", layer, () => (map.getCanvas().style.cursor = ""));
  }

  const showDraft = () => {
    const features: GeoJSON.Feature[] = draft.map((c) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: c } }));
    if (draft.length >= 3) {
      features.push({ type: "Feature", properties: {}, geometry: { type: "Polygon", coordinates: [[...draft, draft[0]!]] } });
    } else if (draft.length === 2) {
      features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: draft } });
    }
    (map.getSource("draft") as GeoJSONSource | undefined)?.setData({ type: "FeatureCollection", features });
    onDraw?.([...draft]);
  };

  return {
    ready,
    map,
    setTickets(points: TicketPoint[]) {
      (map.getSource("tickets") as GeoJSONSource | undefined)?.setData({
        type: "FeatureCollection",
        features: points.map((p) => ({ type: "Feature", properties: { id: p.id, reference: p.reference, sla: p.sla, category: p.category }, geometry: { type: "Point", coordinates: [p.lng, p.lat] } })),
      });
    },
    setAreas(fc: GeoJSON.FeatureCollection) {
      (map.getSource("areas") as GeoJSONSource | undefined)?.setData(fc);
    },
    setTicketTiles(url: string) {
      const src = map.getSource("ticket-tiles") as maplibregl.VectorTileSource | undefined;
      src?.setTiles([url]);
    },
    showPoint(lng: number, lat: number) {
      if (!pickMarker) pickMarker = new maplibregl.Marker({ color: "#1f3a5f" });
      pickMarker.setLngLat([lng, lat]).addTo(map);
    },
    fit(bounds: LngLatBoundsLike) {
      map.fitBounds(bounds, { padding: 20, duration: 0 });
    },
    startDrawing(cb: (ring: Array<[number, number]>) => void) {
      drawing = true;
      onDraw = cb;
      draft.length = 0;
      showDraft();
      map.getCanvas().style.cursor = "crosshair";
    },
    stopDrawing() {
      drawing = false;
      onDraw = null;
      draft.length = 0;
      showDraft();
      map.getCanvas().style.cursor = "";
    },
    destroy() {
      map.remove();
    },
  };
}

export type MapController = ReturnType<typeof createMap>;
