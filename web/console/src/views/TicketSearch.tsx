// All tickets with filters (status, category, team, dates, text or
// reference), sort and paging, all in the URL so a filtered view can be
// bookmarked or shared; saved filters live for the session.
import { useState } from "preact/hooks";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CategorySchema, TicketStatusSchema } from "../gen/salga/common/v1/common_pb";
import { TicketOrder, type ListTicketsRequestSchema } from "../gen/salga/ticket/v1/ticket_service_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { call } from "../api/client";
import { useQuery } from "../api/data";
import { TicketService, useTeams } from "../api/services";
import { enumValue, options } from "../format";
import { href, setQuery, useRoute } from "../router";
import { ErrorNote, FieldError, Loading, Page } from "../ui/common";
import { Pager, QueueTabs } from "./Queues";
import { BulkActions } from "./BulkActions";
import { TicketTable } from "./TicketTable";

/** Filters saved by name for this session (in memory, like the session itself). */
const saved: Array<{ name: string; query: string }> = [];

const orders: Array<[string, TicketOrder, string]> = [
  ["newest", TicketOrder.CREATE_TIME_DESC, "Newest first"],
  ["oldest", TicketOrder.CREATE_TIME_ASC, "Oldest first"],
  ["deadline", TicketOrder.RESOLUTION_DEADLINE_ASC, "Soonest deadline first"],
  ["priority", TicketOrder.PRIORITY, "Most urgent first"],
];

/** A date field (YYYY-MM-DD) as the start of that day in South Africa. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+02:00`);

export function TicketSearch() {
  const route = useRoute();
  const q = route.query;
  const teams = useTeams();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [saveName, setSaveName] = useState("");
  const [, rerender] = useState(0);
  const filterKey = (() => {
    const c = new URLSearchParams(q);
    c.delete("page");
    return c.toString();
  })();
  const req: MessageInitShape<typeof ListTicketsRequestSchema> = {
    statuses: q.getAll("status").flatMap((s) => enumValue(TicketStatusSchema, s) ?? []),
    categories: q.getAll("category").flatMap((s) => enumValue(CategorySchema, s) ?? []),
    assignedTeamId: q.get("team") ?? "",
    query: q.get("q") ?? "",
    orderBy: orders.find((o) => o[0] === q.get("sort"))?.[1] ?? TicketOrder.CREATE_TIME_DESC,
    pageSize: Number(q.get("size") ?? 50),
    pageToken: q.get("page") ?? "",
  };
  // From the start of the first day to the end of the last, in South African time.
  if (q.get("from")) req.createdAfter = timestampFromDate(dayStart(q.get("from")!));
  if (q.get("to")) req.createdBefore = timestampFromDate(new Date(dayStart(q.get("to")!).getTime() + 86400_000));
  const list = useQuery(`tickets:search:${q.toString()}`, () => call(TicketService.method.listTickets, req));

  const set = (name: string, values: string[]) => {
    const next = new URLSearchParams(q);
    next.delete(name);
    next.delete("page");
    for (const v of values) if (v) next.append(name, v);
    setQuery(next);
  };
  const multi = (e: Event) => [...(e.target as HTMLSelectElement).selectedOptions].map((o) => o.value);
  const value = (e: Event) => (e.target as HTMLInputElement).value;

  return (
    <Page title="All tickets">
      <QueueTabs current="/tickets" />
      <form class="filters" role="search" aria-label="Filter tickets" onSubmit={(e) => e.preventDefault()}>
        <label>
          Text or reference
          <input type="search" value={q.get("q") ?? ""} onChange={(e) => set("q", [value(e)])} aria-describedby="err-query" placeholder="CPT-2026-000123 or words" />
          <FieldError error={list.error} field="query" id="err-query" />
        </label>
        <label>
          Status
          <select multiple size={3} onChange={(e) => set("status", multi(e))}>
            {options(TicketStatusSchema).map((o) => (
              <option key={o.name} value={o.name} selected={q.getAll("status").includes(o.name)}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Category
          <select multiple size={3} onChange={(e) => set("category", multi(e))}>
            {options(CategorySchema).map((o) => (
              <option key={o.name} value={o.name} selected={q.getAll("category").includes(o.name)}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Team (ward teams cover one ward each)
          <select value={q.get("team") ?? ""} onChange={(e) => set("team", [value(e)])}>
            <option value="">Any team</option>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Reported from
          <input type="date" value={q.get("from") ?? ""} onChange={(e) => set("from", [value(e)])} />
        </label>
        <label>
          Reported to
          <input type="date" value={q.get("to") ?? ""} onChange={(e) => set("to", [value(e)])} />
        </label>
        <label>
          Sort
          <select value={q.get("sort") ?? "newest"} onChange={(e) => set("sort", [value(e)])}>
            {orders.map(([k, , l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </label>
      </form>
      <form
        class="saved"
        aria-label="Saved filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (!saveName.trim()) return;
          saved.push({ name: saveName.trim(), query: filterKey });
          setSaveName("");
          rerender((n) => n + 1);
        }}
      >
        <label>
          Save these filters as <input value={saveName} onInput={(e) => setSaveName(value(e))} />
        </label>
        <button type="submit">Save filter</button>
        {saved.length > 0 && (
          <ul class="saved-list" aria-label="Saved filters">
            {saved.map((s) => (
              <li key={s.name}>
                <a href={href(`/tickets?${s.query}`)}>{s.name}</a>
              </li>
            ))}
          </ul>
        )}
      </form>
      {list.loading && <Loading what="tickets" />}
      <ErrorNote error={list.error} />
      {list.data && (
        <>
          <BulkActions selected={selected} onDone={() => setSelected(new Set())} />
          <TicketTable rows={list.data.tickets.map((t) => ({ ticket: t }))} caption="Tickets matching the filters" selected={selected} onSelect={setSelected} empty="No ticket matches these filters." />
          <Pager next={list.data.nextPageToken} />
        </>
      )}
    </Page>
  );
}
