// Helpers between the API's GeoJSON (google.protobuf.Struct, a JsonObject
// in the generated types) and the map.
import type { JsonObject } from "@bufbuild/protobuf";
import type { Team } from "../gen/salga/routing/v1/routing_pb";

export const asGeometry = (j: JsonObject | undefined): GeoJSON.Geometry | undefined => (j ? (j as unknown as GeoJSON.Geometry) : undefined);

/** Team service areas as one FeatureCollection, the highlighted team marked. */
export function areasOf(teams: Team[], highlight = ""): GeoJSON.FeatureCollection {
  return {
    type: "FeatureCollection",
    features: teams.flatMap((t) =>
      t.serviceArea ? [{ type: "Feature" as const, properties: { id: t.id, name: t.name, highlight: t.id === highlight }, geometry: asGeometry(t.serviceArea)! }] : [],
    ),
  };
}

/** The bounding box of a geometry as [[west, south], [east, north]]. */
export function bboxOf(g: GeoJSON.Geometry | undefined): [[number, number], [number, number]] | undefined {
  if (!g) return undefined;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === "number") {
      const [x, y] = c as [number, number];
      w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if ("coordinates" in g) walk(g.coordinates);
  return Number.isFinite(w) ? [[w, s], [e, n]] : undefined;
}
