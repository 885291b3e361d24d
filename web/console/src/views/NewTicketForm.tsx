// Reporting a new ticket at a point picked on the map (or typed).
import { useMemo, useState } from "preact/hooks";
import { Category, CategorySchema } from "../gen/salga/common/v1/common_pb";
import { Channel } from "../gen/salga/ticket/v1/ticket_pb";
import { call } from "../api/client";
import { invalidate, useAction } from "../api/data";
import { TicketService } from "../api/services";
import { options } from "../format";
import { navigate } from "../router";
import { ErrorNote, FieldError } from "../ui/common";

export function NewTicketForm({ point, onPoint }: { point: { lng: number; lat: number } | null; onPoint: (p: { lng: number; lat: number }) => void }) {
  const [category, setCategory] = useState<number>(Category.WATER);
  const [description, setDescription] = useState("");
  const [address, setAddress] = useState("");
  // One key per form: a double click or a retry after a timeout files one ticket.
  const key = useMemo(() => crypto.randomUUID(), []);
  const create = useAction(() =>
    call(TicketService.method.createTicket, {
      category, description, address, channel: Channel.CALL_CENTRE,
      ...(point ? { location: { latitude: point.lat, longitude: point.lng } } : {}),
    }, { idempotencyKey: key }),
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const r = await create.run();
    if (r?.ticket) {
      invalidate("tickets", "queue");
      navigate(`/tickets/${r.ticket.id}`);
    }
  };
  const coord = (which: "lat" | "lng") => (e: Event) => {
    const v = Number((e.target as HTMLInputElement).value);
    if (Number.isFinite(v)) onPoint({ lat: point?.lat ?? 0, lng: point?.lng ?? 0, [which]: v });
  };
  return (
    <form class="stack" onSubmit={submit} aria-label="Report a ticket">
      <h2>Report a ticket</h2>
      <label>
        Category
        <select value={category} onChange={(e) => setCategory(Number((e.target as HTMLSelectElement).value))}>
          {options(CategorySchema).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      </label>
      <label>
        What is wrong
        <textarea value={description} required rows={4} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} aria-describedby="err-description" />
        <FieldError error={create.error} field="description" id="err-description" />
      </label>
      <label>
        Address or landmark
        <input value={address} onInput={(e) => setAddress((e.target as HTMLInputElement).value)} aria-describedby="err-address" />
        <FieldError error={create.error} field="address" id="err-address" />
      </label>
      <fieldset>
        <legend>Position (click the map to fill it)</legend>
        <label>
          Latitude <input inputMode="decimal" value={point ? point.lat.toFixed(6) : ""} onChange={coord("lat")} aria-describedby="err-location" />
        </label>
        <label>
          Longitude <input inputMode="decimal" value={point ? point.lng.toFixed(6) : ""} onChange={coord("lng")} aria-describedby="err-location" />
        </label>
        <FieldError error={create.error} field="location" id="err-location" />
      </fieldset>
      <button type="submit" disabled={create.busy}>{create.busy ? "Reporting…" : "Report ticket"}</button>
      <ErrorNote error={create.error} />
    </form>
  );
}
