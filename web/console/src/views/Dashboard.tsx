// The dashboard: SLA compliance by category and by month (from the SLA
// service), the open backlog by age and tickets reported per day, drawn in
// the browser as SVG.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { CategorySchema, TicketStatus } from "../gen/salga/common/v1/common_pb";
import type { Ticket } from "../gen/salga/ticket/v1/ticket_pb";
import type { ListTicketsRequestSchema } from "../gen/salga/ticket/v1/ticket_service_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { call } from "../api/client";
import { useQuery } from "../api/data";
import { SlaService, TicketService } from "../api/services";
import { day, label, toDate } from "../format";
import { ErrorNote, Loading, Page } from "../ui/common";
import { BarChart, GroupedBars } from "../ui/charts";

const DAY = 86400_000;
/** How many tickets the backlog and per-day charts read (four pages of 500). */
const SAMPLE = 2000;

async function listUpTo(req: MessageInitShape<typeof ListTicketsRequestSchema>): Promise<{ tickets: Ticket[]; truncated: boolean }> {
  const tickets: Ticket[] = [];
  let pageToken = "";
  do {
    const r = await call(TicketService.method.listTickets, { ...req, pageSize: 500, pageToken });
    tickets.push(...r.tickets);
    pageToken = r.nextPageToken;
  } while (pageToken && tickets.length < SAMPLE);
  return { tickets, truncated: !!pageToken };
}

export function Dashboard() {
  const now = new Date();
  const since = new Date(now.getTime() - 30 * DAY);
  const compliance = useQuery("dash:compliance", () => call(SlaService.method.getCompliance, { startTime: timestampFromDate(since), endTime: timestampFromDate(now) }), 60_000);
  const months = useQuery("dash:months", async () => {
    const out: Array<{ label: string; resolution: number; response: number; counted: number }> = [];
    for (let i = 5; i >= 0; i--) {
      const start = new Date(now.getFullYear(), now.getMonth() - i, 1);
      const end = new Date(now.getFullYear(), now.getMonth() - i + 1, 1);
      const r = await call(SlaService.method.getCompliance, { startTime: timestampFromDate(start), endTime: timestampFromDate(end < now ? end : now) });
      const counted = r.rows.reduce((n, x) => n + x.metOnTime + x.metLate + x.openOverdue, 0);
      const ratio = (f: (x: (typeof r.rows)[number]) => number) =>
        counted ? r.rows.reduce((n, x) => n + f(x) * (x.metOnTime + x.metLate + x.openOverdue), 0) / counted : 1;
      out.push({ label: start.toLocaleString("en-ZA", { month: "short", year: "2-digit" }), resolution: ratio((x) => x.onTimeRatio), response: ratio((x) => x.responseOnTimeRatio), counted });
    }
    return out;
  }, 60_000);
  const backlog = useQuery("dash:backlog", () => listUpTo({ statuses: [TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.AWAITING_CITIZEN] }), 60_000);
  const recent = useQuery("dash:recent", () => listUpTo({ createdAfter: timestampFromDate(since) }), 60_000);

  const ageBuckets: Array<[string, number]> = [["< 1 day", 1], ["1–3 days", 3], ["3–7 days", 7], ["1–4 weeks", 28], ["> 4 weeks", Infinity]];
  const ages = ageBuckets.map(([name]) => ({ label: name, value: 0 }));
  for (const t of backlog.data?.tickets ?? []) {
    const d = (now.getTime() - (toDate(t.createTime)?.getTime() ?? now.getTime())) / DAY;
    ages[ageBuckets.findIndex(([, max]) => d < max)]!.value++;
  }
  const perDay = Array.from({ length: 30 }, (_, i) => {
    const d = new Date(since.getTime() + (i + 1) * DAY);
    return { label: day(d).replace(/ \d{4}$/, ""), value: 0, at: d };
  });
  for (const t of recent.data?.tickets ?? []) {
    const i = Math.floor(((toDate(t.createTime)?.getTime() ?? 0) - since.getTime()) / DAY);
    if (i >= 0 && i < perDay.length) perDay[i]!.value++;
  }
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return (
    <Page title="Dashboard">
      <div class="dash-grid">
        <section class="card" aria-labelledby="c-cat">
          <h2 id="c-cat">On time by category, last 30 days</h2>
          {compliance.loading && <Loading what="compliance" />}
          <ErrorNote error={compliance.error} />
          {compliance.data && (
            compliance.data.rows.length === 0 ? <p class="empty">No clocks in the last 30 days.</p> :
            <GroupedBars
              title="Share of response and resolution clocks met on time, by category"
              series={["Response", "Resolution"]}
              groups={compliance.data.rows.map((r) => ({ label: label(CategorySchema, r.category), values: [r.responseOnTimeRatio, r.onTimeRatio] }))}
              max={1}
              format={pct}
            />
          )}
        </section>
        <section class="card" aria-labelledby="c-month">
          <h2 id="c-month">On time by month</h2>
          {months.loading && <Loading what="monthly compliance" />}
          <ErrorNote error={months.error} />
          {months.data && <GroupedBars title="Share of clocks met on time, by month" series={["Response", "Resolution"]} groups={months.data.map((m) => (m.counted ? { label: m.label, values: [m.response, m.resolution] } : { label: `${m.label}: none`, values: [0, 0] }))} max={1} format={pct} />}
        </section>
        <section class="card" aria-labelledby="c-backlog">
          <h2 id="c-backlog">Open backlog by age</h2>
          {backlog.loading && <Loading what="the backlog" />}
          <ErrorNote error={backlog.error} />
          {backlog.data && (
            <>
              <p class="big-number" data-testid="backlog-count">{backlog.data.tickets.length}{backlog.data.truncated ? "+" : ""} open</p>
              <BarChart title="Open tickets by age" bars={ages} />
              {backlog.data.truncated && <p class="muted">Counted from the newest {SAMPLE} open tickets.</p>}
            </>
          )}
        </section>
        <section class="card" aria-labelledby="c-day">
          <h2 id="c-day">Tickets reported per day</h2>
          {recent.loading && <Loading what="recent tickets" />}
          <ErrorNote error={recent.error} />
          {recent.data && (
            <>
              <BarChart title="Tickets reported per day over the last 30 days" bars={perDay} compact />
              {recent.data.truncated && <p class="muted">Counted from the newest {SAMPLE} tickets.</p>}
            </>
          )}
        </section>
      </div>
      <p class="muted">Compliance by ward needs tickets to record their ward; the API does not yet, so it is not shown.</p>
    </Page>
  );
}
