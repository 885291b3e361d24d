// The queues staff work from: their team's, triage (unrouted), at risk
// (soonest breach first, with live countdowns) and breached.
import { useEffect, useState } from "preact/hooks";
import { TicketStatus } from "../gen/salga/common/v1/common_pb";
import { ClockState } from "../gen/salga/sla/v1/sla_pb";
import { TicketOrder } from "../gen/salga/ticket/v1/ticket_service_pb";
import type { Ticket } from "../gen/salga/ticket/v1/ticket_pb";
import { call } from "../api/client";
import { useQuery } from "../api/data";
import { RoutingService, SlaService, TicketService, useTeams } from "../api/services";
import { currentSession } from "../auth/session";
import { href, setQuery, useRoute } from "../router";
import { toDate } from "../format";
import { ErrorNote, Loading, Page } from "../ui/common";
import { BulkActions } from "./BulkActions";
import { TicketTable, type Row } from "./TicketTable";

const OPEN = [TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.AWAITING_CITIZEN];

/** Reloads a queue: by hand, and every 30 seconds while it is on screen. */
export function Refresh({ reload, busy }: { reload: () => void; busy: boolean }) {
  useEffect(() => {
    const t = setInterval(reload, 30_000);
    return () => clearInterval(t);
  }, [reload]);
  return <button type="button" onClick={reload} disabled={busy}>{busy ? "Refreshing…" : "Refresh"}</button>;
}

export function QueueTabs({ current }: { current: string }) {
  const tabs: Array<[string, string]> = [
    ["/queues/team", "My team"],
    ["/queues/triage", "Triage"],
    ["/queues/at-risk", "At risk"],
    ["/queues/breached", "Breached"],
    ["/tickets", "All tickets"],
  ];
  return (
    <nav class="tabs" aria-label="Queues">
      {tabs.map(([to, name]) => (
        <a key={to} href={href(to)} aria-current={current === to ? "page" : undefined}>
          {name}
        </a>
      ))}
    </nav>
  );
}

/** Shows tickets named by id (from routing or SLA) in the order given. */
async function ticketsByIds(ids: string[]): Promise<Map<string, Ticket>> {
  const out = new Map<string, Ticket>();
  for (let i = 0; i < ids.length; i += 500) {
    const r = await call(TicketService.method.listTickets, { ids: ids.slice(i, i + 500), pageSize: 500 });
    for (const t of r.tickets) out.set(t.id, t);
  }
  return out;
}

function QueueBody({ rows, caption, empty }: { rows: Row[]; caption: string; empty: string }) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  return (
    <>
      <BulkActions selected={selected} onDone={() => setSelected(new Set())} />
      <TicketTable rows={rows} caption={caption} selected={selected} onSelect={setSelected} empty={empty} />
    </>
  );
}

export function TeamQueue() {
  const route = useRoute();
  const s = currentSession();
  const teams = useTeams();
  const mine = (teams.data ?? []).find((t) => t.managerId === s?.subject || t.members.some((m) => m.userId === s?.subject));
  const teamId = route.query.get("team") || mine?.id || "";
  const team = (teams.data ?? []).find((t) => t.id === teamId);
  const page = route.query.get("page") ?? "";
  const q = useQuery(teamId ? `tickets:team:${teamId}:${page}` : null, () =>
    call(TicketService.method.listTickets, { assignedTeamId: teamId, statuses: OPEN, orderBy: TicketOrder.PRIORITY, pageSize: 50, pageToken: page }),
  );
  const choose = (id: string) => {
    const next = new URLSearchParams(route.query);
    next.set("team", id);
    next.delete("page");
    setQuery(next, false);
  };
  return (
    <Page title={team ? `Queue of ${team.name}` : "My team's queue"} actions={teamId ? <Refresh reload={q.reload} busy={q.loading} /> : undefined}>
      <QueueTabs current="/queues/team" />
      <label class="inline">
        Team{" "}
        <select value={teamId} onChange={(e) => choose((e.target as HTMLSelectElement).value)}>
          <option value="">Choose your team…</option>
          {(teams.data ?? []).filter((t) => t.active).map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      {teams.loading && <Loading what="teams" />}
      <ErrorNote error={teams.error ?? q.error} />
      {!teamId && !teams.loading && <p class="empty">You are not a member of a team. Choose the team whose queue you work.</p>}
      {q.loading && <Loading what="the queue" />}
      {q.data && (
        <>
          <QueueBody rows={q.data.tickets.map((t) => ({ ticket: t }))} caption="Open tickets of the team, most urgent first: by priority, then soonest deadline" empty="Nothing open for this team." />
          <Pager next={q.data.nextPageToken} />
        </>
      )}
    </Page>
  );
}

export function TriageQueue() {
  const q = useQuery("queue:triage", async () => {
    const r = await call(RoutingService.method.listTriageQueue, { pageSize: 200 });
    const byId = await ticketsByIds(r.tickets.map((x) => x.ticketId));
    return r.tickets.flatMap((x) => (byId.get(x.ticketId) ? [{ ticket: byId.get(x.ticketId)! }] : []));
  });
  return (
    <Page title="Triage" actions={<Refresh reload={q.reload} busy={q.loading} />}>
      <QueueTabs current="/queues/triage" />
      <p class="lead">Tickets no team's category and area matched. Reassign each to the team that should work it.</p>
      {q.loading && <Loading what="the triage queue" />}
      <ErrorNote error={q.error} />
      {q.data && <QueueBody rows={q.data} caption="Tickets waiting for triage, most urgent first: by priority, then soonest deadline" empty="The triage queue is empty." />}
    </Page>
  );
}

function useAtRisk(breached: boolean) {
  return useQuery(`queue:at-risk:${breached}`, async () => {
    const r = await call(SlaService.method.listAtRiskTickets, { includeBreached: breached, pageSize: 1000 });
    const rows = r.tickets.filter((x) => (x.clock?.state === ClockState.BREACHED) === breached);
    const byId = await ticketsByIds(rows.map((x) => x.ticketId));
    return rows.flatMap((x) => {
      const t = byId.get(x.ticketId);
      return t ? [{ ticket: t, deadline: toDate(x.clock?.deadline), sla: breached ? ("breached" as const) : ("at_risk" as const) }] : [];
    });
  });
}

export function AtRiskQueue() {
  const q = useAtRisk(false);
  return (
    <Page title="At risk" actions={<Refresh reload={q.reload} busy={q.loading} />}>
      <QueueTabs current="/queues/at-risk" />
      <p class="lead">Tickets past their SLA warning threshold, the soonest breach first. The countdowns are live.</p>
      {q.loading && <Loading what="tickets at risk" />}
      <ErrorNote error={q.error} />
      {q.data && <QueueBody rows={q.data} caption="Tickets at risk, ordered by time to breach" empty="No ticket is at risk." />}
    </Page>
  );
}

export function BreachedQueue() {
  const q = useAtRisk(true);
  return (
    <Page title="Breached" actions={<Refresh reload={q.reload} busy={q.loading} />}>
      <QueueTabs current="/queues/breached" />
      <p class="lead">Tickets whose response or resolution deadline has passed, the most overdue first.</p>
      {q.loading && <Loading what="breached tickets" />}
      <ErrorNote error={q.error} />
      {q.data && <QueueBody rows={q.data} caption="Breached tickets, most overdue first" empty="No ticket has breached its SLA." />}
    </Page>
  );
}

/** Next and previous pages through a page-token list in the URL (page tokens are forward-only). */
export function Pager({ next }: { next: string }) {
  const route = useRoute();
  const page = route.query.get("page") ?? "";
  const go = (token: string | null) => {
    const q = new URLSearchParams(route.query);
    if (token) q.set("page", token);
    else q.delete("page");
    setQuery(q, false);
  };
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" disabled={!page} onClick={() => history.back()}>
        Previous page
      </button>
      <button type="button" disabled={!next} onClick={() => go(next)}>
        Next page
      </button>
    </nav>
  );
}
