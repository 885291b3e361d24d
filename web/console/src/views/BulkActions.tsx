// Bulk work on the selected tickets: a status change or a reassignment,
// each with the reason the history records.
import { useState } from "preact/hooks";
import { TicketStatus, TicketStatusSchema } from "../gen/salga/common/v1/common_pb";
import { call } from "../api/client";
import { invalidate } from "../api/data";
import { RoutingService, TicketService, useTeams } from "../api/services";
import { canReassign, currentSession } from "../auth/session";
import { label, options } from "../format";
import { messageOf } from "../ui/common";

type Outcome = { done: number; failed: Array<{ id: string; why: string }> };

export function BulkActions({ selected, onDone }: { selected: Set<string>; onDone: () => void }) {
  const teams = useTeams();
  const [action, setAction] = useState<"status" | "reassign">("status");
  const [status, setStatus] = useState<number>(TicketStatus.IN_PROGRESS);
  const [team, setTeam] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState<{ at: number; of: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [formError, setFormError] = useState("");
  const ids = [...selected];

  const apply = async (e: Event) => {
    e.preventDefault();
    setFormError("");
    if (!reason.trim()) return setFormError("Give a reason: it is recorded in each ticket's history.");
    if (action === "reassign" && !team) return setFormError("Choose the team to give the tickets to.");
    const out: Outcome = { done: 0, failed: [] };
    for (const [i, id] of ids.entries()) {
      setBusy({ at: i + 1, of: ids.length });
      try {
        if (action === "status") await call(TicketService.method.updateTicketStatus, { id, status, reason });
        else await call(RoutingService.method.reassignTicket, { ticketId: id, teamId: team, note: reason });
        out.done++;
      } catch (err) {
        out.failed.push({ id, why: messageOf(err) });
      }
    }
    setBusy(null);
    setOutcome(out);
    invalidate("tickets", "queue", "ticket:");
    if (out.failed.length === 0) {
      setReason("");
      onDone();
    }
  };

  const report = outcome && (
    <div role="status" class={outcome.failed.length ? "error" : "ok"}>
      {outcome.done} changed{action === "status" ? ` to ${label(TicketStatusSchema, status)}` : ""}.
      {outcome.failed.length > 0 && (
        <ul>
          {outcome.failed.map((f) => (
            <li key={f.id}>
              {f.id.slice(0, 8)}: {f.why}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
  if (ids.length === 0) {
    return (
      <div class="bulk-hint">
        {report}
        <p class="muted">Select tickets to change their status or reassign them together.</p>
      </div>
    );
  }
  return (
    <form class="bulk" onSubmit={apply} aria-label="Bulk actions">
      <strong>{ids.length} selected</strong>
      <label>
        Action{" "}
        <select value={action} onChange={(e) => setAction((e.target as HTMLSelectElement).value as "status" | "reassign")}>
          <option value="status">Change status</option>
          {canReassign(currentSession()) && <option value="reassign">Reassign</option>}
        </select>
      </label>
      {action === "status" ? (
        <label>
          New status{" "}
          <select value={status} onChange={(e) => setStatus(Number((e.target as HTMLSelectElement).value))}>
            {options(TicketStatusSchema).map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          Team{" "}
          <select value={team} onChange={(e) => setTeam((e.target as HTMLSelectElement).value)}>
            <option value="">Choose a team…</option>
            {(teams.data ?? []).filter((t) => t.active).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Reason <input value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} required aria-describedby="bulk-error" />
      </label>
      <button type="submit" disabled={!!busy}>
        {busy ? `Working ${busy.at} of ${busy.of}…` : "Apply"}
      </button>
      {formError && <p class="field-error" id="bulk-error" role="alert">{formError}</p>}
      {report}
    </form>
  );
}
