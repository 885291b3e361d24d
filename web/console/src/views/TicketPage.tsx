// One ticket: details, where it is, its clocks and deadlines (with the
// calendar that counts them), why its team has it, history and notes, and
// the actions staff take on it.
import { useEffect, useState } from "preact/hooks";
import { AssignmentReasonSchema, Category, CategorySchema, TicketStatus, TicketStatusSchema } from "../gen/salga/common/v1/common_pb";
import { ClockKindSchema, ClockStateSchema, WeekdaySchema, type Calendar } from "../gen/salga/sla/v1/sla_pb";
import { NoteVisibility, NoteVisibilitySchema, ChannelSchema, type Ticket } from "../gen/salga/ticket/v1/ticket_pb";
import { ApiError, call } from "../api/client";
import { invalidate, useAction, useQuery } from "../api/data";
import { RoutingService, SlaService, TicketService, useTeams } from "../api/services";
import { canReassign, currentSession, currentToken, hasRole } from "../auth/session";
import { label, options, toDate, when } from "../format";
import { durationMs } from "@bufbuild/protobuf/wkt";
import { span } from "../format";
import { slaState } from "../sla";
import { Countdown, ErrorNote, FieldError, Loading, Page, SlaBadge } from "../ui/common";
import { TicketMap } from "../map/TicketMap";
import { getConfig } from "../config";

/** The status changes the life cycle allows from each status. */
const transitions: Record<number, TicketStatus[]> = {
  [TicketStatus.OPEN]: [TicketStatus.IN_PROGRESS, TicketStatus.CANCELLED],
  [TicketStatus.IN_PROGRESS]: [TicketStatus.AWAITING_CITIZEN, TicketStatus.RESOLVED, TicketStatus.CANCELLED],
  [TicketStatus.AWAITING_CITIZEN]: [TicketStatus.IN_PROGRESS],
  [TicketStatus.RESOLVED]: [TicketStatus.CLOSED, TicketStatus.IN_PROGRESS],
};

/** Tickets just reassigned, and the team their mirror must come to show. */
const awaitedTeam = new Map<string, string>();

export function TicketPage({ id }: { id: string }) {
  const q = useQuery(`ticket:${id}`, () => call(TicketService.method.getTicket, { id }), 5000);
  const t = q.data?.ticket;
  // A new ticket is routed and clocked within moments: look again every
  // two seconds until it shows its team and deadlines.
  // So is a reassigned one until it shows its new team.
  if (t && awaitedTeam.get(id) === t.assignedTeamId) awaitedTeam.delete(id);
  const pending = !!t && ((t.status === TicketStatus.OPEN && (!t.assignmentReason || !t.resolutionDeadline)) || awaitedTeam.has(id));
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => invalidate(`ticket:${id}`), 2000);
    return () => clearInterval(timer);
  }, [pending, id]);
  if (q.loading && !t) return <Page title="Ticket"><Loading what="the ticket" /></Page>;
  // A ticket the caller may not see (another municipality's, or a GBV
  // report for anyone but the SAPS liaison) answers exactly as one that
  // does not exist, so this page cannot tell them apart either.
  if (q.error instanceof ApiError && q.error.httpStatus === 404) {
    return (
      <Page title="Ticket not found">
        <p class="notice" role="alert">There is no ticket with this id that you may see.</p>
      </Page>
    );
  }
  if (q.error || !t) return <Page title="Ticket"><ErrorNote error={q.error ?? new Error("no ticket")} /></Page>;
  return <TicketView t={t} />;
}

function TicketView({ t }: { t: Ticket }) {
  const s = currentSession();
  const gbv = t.category === Category.GBV;
  const staff = hasRole(s, "agent", "team_manager", "municipal_admin", "saps_liaison");
  return (
    <Page title={`${t.reference}: ${label(CategorySchema, t.category)}`}>
      {gbv && (
        <p class="notice gbv" role="note" data-testid="gbv-notice">
          Gender-based violence report. Special personal information (POPIA): only the SAPS liaison may see it, and every view of it, this one included, is recorded in the access log.
        </p>
      )}
      <div class="ticket-grid">
        <section aria-labelledby="details-h" class="card">
          <h2 id="details-h">Details</h2>
          <dl class="facts">
            <dt>Status</dt><dd data-testid="ticket-status">{label(TicketStatusSchema, t.status)}</dd>
            <dt>SLA</dt><dd><SlaBadge state={slaState(t)} /></dd>
            <dt>Team</dt><dd data-testid="ticket-team">{t.assignedTeamName || <span class="muted">not yet routed</span>}</dd>
            {t.assignedPersonId && (<><dt>Person</dt><dd>{t.assignedPersonId}</dd></>)}
            <dt>Reported</dt><dd>{when(t.createTime)} via {label(ChannelSchema, t.channel)}</dd>
            <dt>Address</dt><dd>{t.address || "—"}</dd>
            <dt>Description</dt><dd class="pre">{t.description}</dd>
            {t.reporter && (<><dt>Reporter</dt><dd>{[t.reporter.name, t.reporter.phone, t.reporter.email].filter(Boolean).join(", ") || "—"}</dd></>)}
            {t.escalationLevel > 0 && (<><dt>Escalated</dt><dd>level {t.escalationLevel}, {when(t.escalatedAt)} ({label(AssignmentReasonSchema, t.escalationReason).toLowerCase()})</dd></>)}
            {t.cancelReason && (<><dt>Cancelled because</dt><dd>{t.cancelReason}</dd></>)}
          </dl>
        </section>
        <section aria-labelledby="where-h" class="card">
          <h2 id="where-h">Where</h2>
          {t.location && (
            <TicketMap
              className="small"
              label={`Location of ${t.reference}`}
              options={{
                token: currentToken, tileUrl: getConfig().tile_url, tileAttribution: getConfig().tile_attribution,
                center: [t.location.longitude, t.location.latitude], zoom: 15,
              }}
              onReady={(m) => t.location && m.showPoint(t.location.longitude, t.location.latitude)}
            />
          )}
          <p class="muted">{t.location ? `${t.location.latitude.toFixed(5)}, ${t.location.longitude.toFixed(5)}` : ""}</p>
        </section>
        {staff && <Clocks t={t} />}
        {staff && <WhyThisTeam t={t} />}
        {staff && <Actions t={t} />}
        <Notes t={t} staff={staff} />
        <History t={t} />
      </div>
    </Page>
  );
}

function Clocks({ t }: { t: Ticket }) {
  const clocks = useQuery(`ticket:${t.id}:clocks`, () => call(SlaService.method.getTicketClocks, { ticketId: t.id }), 5000);
  const policy = useQuery(`policy:${t.tenant}:${t.category}`, () => call(SlaService.method.resolveSlaPolicy, { municipality: t.tenant, category: t.category }), 60_000);
  const calId = policy.data?.config?.calendarId ?? "";
  const cal = useQuery(calId ? `calendar:${calId}` : null, () => call(SlaService.method.getCalendar, { id: calId }), 60_000);
  return (
    <section aria-labelledby="clocks-h" class="card">
      <h2 id="clocks-h">Clocks and deadlines</h2>
      <table class="compact">
        <caption class="visually-hidden">SLA deadlines</caption>
        <thead><tr><th scope="col">Deadline</th><th scope="col">Due</th><th scope="col">Countdown</th></tr></thead>
        <tbody>
          <tr><th scope="row">First response</th><td>{when(t.responseDeadline)}</td><td>{t.firstRespondedAt ? `met ${when(t.firstRespondedAt)}` : <Countdown deadline={toDate(t.responseDeadline)} />}</td></tr>
          <tr><th scope="row">Resolution</th><td>{when(t.resolutionDeadline)}</td><td>{t.resolveTime ? `resolved ${when(t.resolveTime)}` : <Countdown deadline={toDate(t.resolutionDeadline)} />}</td></tr>
        </tbody>
      </table>
      {clocks.loading && <Loading what="clocks" />}
      <ErrorNote error={clocks.error} />
      {clocks.data && clocks.data.clocks.length > 0 && (
        <ul class="clocks">
          {clocks.data.clocks.map((c) => (
            <li key={`${c.kind}-${c.cycle}`}>
              {label(ClockKindSchema, c.kind)} clock{c.cycle > 1 ? ` (cycle ${c.cycle})` : ""}: {label(ClockStateSchema, c.state).toLowerCase()},
              {" "}target {c.target ? span(durationMs(c.target)) : "—"} of working time, {c.elapsed ? span(durationMs(c.elapsed)) : "0 s"} counted
              {c.paused && durationMs(c.paused) > 0 ? `, paused ${span(durationMs(c.paused))}` : ""}
              {c.warnedTime ? `; warned ${when(c.warnedTime)}` : ""}
            </li>
          ))}
        </ul>
      )}
      <p class="explain" data-testid="calendar-explanation">{explainPolicy(t, policy.data?.config, policy.data?.matched, cal.data?.calendar)}</p>
    </section>
  );
}

/** The calendar and policy in words. */
function explainPolicy(t: Ticket, c: { responseHours: number; resolutionHours: number; warningThresholdPct: number; pauseStatuses: TicketStatus[] } | undefined, matched: string | undefined, cal: Calendar | undefined): string {
  if (!c) return "";
  const base = `Policy (${(matched ?? "").replace(/_/g, " ")}): first response within ${c.responseHours} h, resolution within ${c.resolutionHours} h, warning at ${c.warningThresholdPct}% of the time.`;
  if (t.category === Category.GBV) return `${base} GBV clocks run 24 hours a day, 7 days a week, and never pause.`;
  const pauses = c.pauseStatuses.length ? ` The resolution clock pauses while the ticket is ${c.pauseStatuses.map((s) => label(TicketStatusSchema, s).toLowerCase()).join(" or ")}.` : "";
  if (!cal || cal.alwaysOpen) return `${base} The clocks count every hour (24x7).${pauses}`;
  const hours = cal.intervals.map((i) => `${label(WeekdaySchema, i.weekday).slice(0, 3)} ${i.start}–${i.end}`).join(", ");
  const hol = cal.southAfricanHolidays ? " South African public holidays do not count." : "";
  const declared = cal.declaredHolidays.length ? ` Nor do ${cal.declaredHolidays.map((d) => `${d.name} (${d.date})`).join(", ")}.` : "";
  return `${base} The clocks count only working time of the "${cal.name}" calendar (${cal.timeZone}): ${hours}.${hol}${declared}${pauses}`;
}

function WhyThisTeam({ t }: { t: Ticket }) {
  const assignments = useQuery(`ticket:${t.id}:assignments`, () => call(RoutingService.method.listAssignments, { ticketId: t.id }), 5000);
  const explain = useQuery(t.location ? `explain:${t.id}` : null, () =>
    call(RoutingService.method.explainRoute, { location: t.location!, category: t.category }), 30_000);
  const current = assignments.data?.assignments.find((a) => a.isCurrent);
  return (
    <section aria-labelledby="why-h" class="card">
      <h2 id="why-h">Why this team</h2>
      {assignments.loading && <Loading what="assignments" />}
      <ErrorNote error={assignments.error ?? explain.error} />
      {current ? (
        <p data-testid="routing-reason">
          {current.teamName || "Triage queue"}: {label(AssignmentReasonSchema, current.reason).toLowerCase()}
          {current.assignedBy !== "system" ? ` by ${current.assignedBy}` : ""}{current.note ? ` ("${current.note}")` : ""}, {when(current.createTime)}.
        </p>
      ) : (
        !assignments.loading && <p class="muted">Not routed yet: routing follows within moments of creation.</p>
      )}
      {explain.data?.decision && (
        <>
          <p class="explain">{explain.data.decision.explanation}</p>
          {explain.data.decision.candidates.length > 0 && (
            <table class="compact">
              <caption>Teams routing considers for this point now</caption>
              <thead><tr><th scope="col">Team</th><th scope="col">Area contains the point</th><th scope="col">Distance</th><th scope="col">Area</th></tr></thead>
              <tbody>
                {explain.data.decision.candidates.slice(0, 5).map((c) => (
                  <tr key={c.teamId} class={c.chosen ? "selected" : ""}>
                    <td>{c.teamName}{c.chosen ? " (chosen)" : ""}</td><td>{c.containsPoint ? "yes" : "no"}</td>
                    <td>{Math.round(c.distanceMeters)} m</td><td>{c.areaSqKm.toFixed(1)} km²</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      {assignments.data && assignments.data.assignments.length > 1 && (
        <details>
          <summary>All {assignments.data.assignments.length} assignments</summary>
          <ol>
            {assignments.data.assignments.map((a) => (
              <li key={a.id}>{when(a.createTime)}: {a.teamName || "triage"} ({label(AssignmentReasonSchema, a.reason).toLowerCase()}){a.note ? `: ${a.note}` : ""}</li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

function Actions({ t }: { t: Ticket }) {
  const s = currentSession();
  const teams = useTeams();
  const [status, setStatus] = useState<number>(transitions[t.status]?.[0] ?? 0);
  const [reason, setReason] = useState("");
  const [team, setTeam] = useState("");
  const [note, setNote] = useState("");
  const refresh = () => invalidate(`ticket:${t.id}`, "tickets", "queue");
  const change = useAction(() => call(TicketService.method.updateTicketStatus, { id: t.id, status, reason }));
  const reassign = useAction((teamId: string, why: string) => call(RoutingService.method.reassignTicket, { ticketId: t.id, teamId, note: why }));
  const currentTeam = (teams.data ?? []).find((x) => x.id === t.assignedTeamId);
  const escalationTeam = (teams.data ?? []).find((x) => x.id === currentTeam?.escalationTeamId);
  const allowed = transitions[t.status] ?? [];
  const eligible = (teams.data ?? []).filter((x) => x.active && (t.category === Category.GBV ? x.isSaps : !x.isSaps) && x.id !== t.assignedTeamId);
  return (
    <section aria-labelledby="actions-h" class="card">
      <h2 id="actions-h">Actions</h2>
      {allowed.length > 0 ? (
        <form class="stack" aria-label="Change status" onSubmit={async (e) => { e.preventDefault(); if (await change.run()) { setReason(""); refresh(); } }}>
          <label>
            New status
            <select value={status} onChange={(e) => setStatus(Number((e.target as HTMLSelectElement).value))}>
              {allowed.map((v) => <option key={v} value={v}>{label(TicketStatusSchema, v)}</option>)}
            </select>
          </label>
          <label>
            Reason {status === TicketStatus.CANCELLED ? "(required to cancel)" : "(recorded in the history)"}
            <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} aria-describedby="err-reason" />
            <FieldError error={change.error} field="reason" id="err-reason" />
          </label>
          <button type="submit" disabled={change.busy}>{change.busy ? "Saving…" : "Change status"}</button>
          <ErrorNote error={change.error instanceof ApiError && change.error.forField("reason") ? null : change.error} />
        </form>
      ) : (
        <p class="muted">This ticket is {label(TicketStatusSchema, t.status).toLowerCase()}; its status cannot change any more.</p>
      )}
      {canReassign(s) && (
        <form class="stack" aria-label="Reassign" onSubmit={async (e) => { e.preventDefault(); if (await reassign.run(team, note)) { awaitedTeam.set(t.id, team); setNote(""); setTeam(""); refresh(); } }}>
          <label>
            Reassign to
            <select value={team} onChange={(e) => setTeam((e.target as HTMLSelectElement).value)} aria-describedby="err-team">
              <option value="">Choose a team…</option>
              {eligible.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
            <FieldError error={reassign.error} field="team_id" id="err-team" />
          </label>
          <label>
            Reason for the reassignment
            <input value={note} required onInput={(e) => setNote((e.target as HTMLInputElement).value)} aria-describedby="err-note" />
            <FieldError error={reassign.error} field="note" id="err-note" />
          </label>
          <div class="row">
            <button type="submit" disabled={reassign.busy || !team}>{reassign.busy ? "Reassigning…" : "Reassign"}</button>
            {escalationTeam && (
              <button type="button" disabled={reassign.busy} onClick={async () => { if (await reassign.run(escalationTeam.id, `Escalated by hand${note ? `: ${note}` : ""}`)) { awaitedTeam.set(t.id, escalationTeam.id); refresh(); } }}>
                Escalate to {escalationTeam.name}
              </button>
            )}
          </div>
          <ErrorNote error={reassign.error} />
        </form>
      )}
    </section>
  );
}

function Notes({ t, staff }: { t: Ticket; staff: boolean }) {
  const notes = useQuery(`ticket:${t.id}:notes`, () => call(TicketService.method.listTicketNotes, { ticketId: t.id }), 5000);
  const [body, setBody] = useState("");
  const [visibility, setVisibility] = useState<number>(staff ? NoteVisibility.INTERNAL : NoteVisibility.PUBLIC);
  const add = useAction(() => call(TicketService.method.addTicketNote, { ticketId: t.id, body, visibility }));
  return (
    <section aria-labelledby="notes-h" class="card">
      <h2 id="notes-h">Notes</h2>
      {notes.loading && <Loading what="notes" />}
      <ErrorNote error={notes.error} />
      {notes.data && notes.data.notes.length === 0 && <p class="muted">No notes yet.</p>}
      <ol class="notes">
        {(notes.data?.notes ?? []).map((n) => (
          <li key={n.id}>
            <span class={`badge ${n.visibility === NoteVisibility.PUBLIC ? "public" : "internal"}`}>{label(NoteVisibilitySchema, n.visibility)}</span>{" "}
            <strong>{n.author}</strong> <span class="muted">{when(n.createTime)}</span>
            <p class="pre">{n.body}</p>
          </li>
        ))}
      </ol>
      <form class="stack" aria-label="Add a note" onSubmit={async (e) => { e.preventDefault(); if (await add.run()) { setBody(""); invalidate(`ticket:${t.id}`); } }}>
        <label>
          Note
          <textarea rows={3} value={body} required onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} aria-describedby="err-body" />
          <FieldError error={add.error} field="body" id="err-body" />
        </label>
        {staff && (
          <label>
            Who may read it
            <select value={visibility} onChange={(e) => setVisibility(Number((e.target as HTMLSelectElement).value))}>
              {options(NoteVisibilitySchema).map((o) => <option key={o.value} value={o.value}>{o.value === NoteVisibility.PUBLIC ? "Public (the reporter too)" : "Internal (staff only)"}</option>)}
            </select>
          </label>
        )}
        <button type="submit" disabled={add.busy}>{add.busy ? "Adding…" : "Add note"}</button>
        <ErrorNote error={add.error instanceof ApiError && add.error.forField("body") ? null : add.error} />
      </form>
    </section>
  );
}

function History({ t }: { t: Ticket }) {
  const h = useQuery(`ticket:${t.id}:history`, () => call(TicketService.method.getTicketHistory, { ticketId: t.id }), 5000);
  return (
    <section aria-labelledby="history-h" class="card wide">
      <h2 id="history-h">History</h2>
      {h.loading && <Loading what="history" />}
      <ErrorNote error={h.error} />
      <ol class="history" data-testid="history">
        {(h.data?.entries ?? []).map((e) => (
          <li key={String(e.sequence)}>
            <span class="muted">{when(e.createTime)}</span> <strong>{e.kind.replace(/_/g, " ")}</strong> by {e.actor}
            {e.kind === "status_changed" ? `: ${label(TicketStatusSchema, e.fromStatus)} → ${label(TicketStatusSchema, e.toStatus)}` : ""}
            {e.detail ? `: ${e.detail}` : ""}{e.reason ? ` (${e.reason})` : ""}
          </li>
        ))}
      </ol>
    </section>
  );
}
