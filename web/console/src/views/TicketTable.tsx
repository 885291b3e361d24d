// The list of tickets every queue shows, with row selection for bulk work.
import type { Ticket } from "../gen/salga/ticket/v1/ticket_pb";
import { CategorySchema, TicketStatusSchema } from "../gen/salga/common/v1/common_pb";
import { label, when, toDate } from "../format";
import { href } from "../router";
import { nextDeadline, slaState, type SlaState } from "../sla";
import { Countdown, SlaBadge, useNow } from "../ui/common";

/** A row: the ticket, and where the SLA service knows better, its deadline and state. */
export type Row = { ticket: Ticket; deadline?: Date | undefined; sla?: SlaState };

export function TicketTable({ rows, caption, selected, onSelect, empty }: {
  rows: Row[];
  caption: string;
  selected?: Set<string>;
  onSelect?: (ids: Set<string>) => void;
  empty: string;
}) {
  const now = useNow(5000);
  if (rows.length === 0) return <p class="empty">{empty}</p>;
  const toggle = (id: string) => {
    if (!selected || !onSelect) return;
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect(next);
  };
  const all = selected && rows.every((r) => selected.has(r.ticket.id));
  return (
    <div class="table-wrap">
      <table class="tickets">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {onSelect && (
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all tickets on this page"
                  checked={!!all}
                  onChange={() => onSelect(all ? new Set() : new Set(rows.map((r) => r.ticket.id)))}
                />
              </th>
            )}
            <th scope="col">Reference</th>
            <th scope="col">Category</th>
            <th scope="col">Status</th>
            <th scope="col">Team</th>
            <th scope="col">SLA</th>
            <th scope="col">Next deadline</th>
            <th scope="col">Reported</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ ticket: t, deadline, sla }) => (
            <tr key={t.id} class={selected?.has(t.id) ? "selected" : ""}>
              {onSelect && (
                <td>
                  <input type="checkbox" aria-label={`Select ${t.reference}`} checked={selected?.has(t.id)} onChange={() => toggle(t.id)} />
                </td>
              )}
              <td>
                <a href={href(`/tickets/${t.id}`)}>{t.reference}</a>
                <div class="desc">{t.description || (t.category === 6 ? "(restricted)" : "")}</div>
              </td>
              <td>{label(CategorySchema, t.category)}</td>
              <td>{label(TicketStatusSchema, t.status)}</td>
              <td>{t.assignedTeamName || <span class="muted">unassigned</span>}</td>
              <td>
                <SlaBadge state={sla ?? slaState(t, now)} />
              </td>
              <td>
                <Countdown deadline={deadline ?? nextDeadline(t)} />
              </td>
              <td>{when(t.createTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const byDeadline = (a: Row, b: Row) =>
  (a.deadline ?? nextDeadline(a.ticket) ?? new Date(8.64e15)).getTime() - (b.deadline ?? nextDeadline(b.ticket) ?? new Date(8.64e15)).getTime();

export const createdAt = (t: Ticket) => toDate(t.createTime) ?? new Date(0);
