// The map component views use. MapLibre is loaded on first use from its
// own chunk; until then (and if WebGL is missing) the view says so.
import { useEffect, useRef, useState } from "preact/hooks";
import type { MapController, MapOptions } from "./mapview";
import { messageOf } from "../ui/common";

export type { MapController, TicketPoint } from "./mapview";
/** The zoom from which tickets are drawn from ListTickets (mapview.POINT_ZOOM, kept here so the main chunk need not load MapLibre). */
export const POINT_ZOOM_LEVEL = 13;

let loader: Promise<typeof import("./mapview")> | null = null;
const loadMap = () => (loader ??= import("./mapview"));

export function TicketMap({ options, label, onReady, className }: {
  options: MapOptions;
  label: string;
  onReady?: (m: MapController) => void;
  className?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "ready" | Error>("loading");
  useEffect(() => {
    let ctl: MapController | null = null;
    let gone = false;
    loadMap()
      .then((m) => {
        if (gone || !el.current) return;
        ctl = m.createMap(el.current, options);
        return ctl.ready.then(() => {
          if (gone || !ctl) return;
          setState("ready");
          onReady?.(ctl);
        });
      })
      .catch((err: unknown) => setState(err instanceof Error ? err : new Error(String(err))));
    return () => {
      gone = true;
      ctl?.destroy();
    };
  }, []);
  return (
    <div class={`map-frame ${className ?? ""}`}>
      <div ref={el} class="map" role="region" aria-label={label} data-state={state instanceof Error ? "error" : state} />
      {state === "loading" && (
        <p class="map-status" role="status">
          <span class="spinner" aria-hidden="true" /> Loading the map…
        </p>
      )}
      {state instanceof Error && (
        <p class="map-status error" role="alert">
          The map could not be drawn here ({messageOf(state)}). Everything on it is also listed beside it.
        </p>
      )}
    </div>
  );
}
