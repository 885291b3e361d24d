// A ticket's SLA state from the deadlines mirrored on it: the same rule as
// the ticket service's map tiles (services/ticket/internal/store/tile.go),
// so points drawn from a list and from a tile are coloured alike.
import { Category, TicketStatus } from "./gen/salga/common/v1/common_pb";
import type { Ticket } from "./gen/salga/ticket/v1/ticket_pb";
import { toDate } from "./format";

export type SlaState = "breached" | "at_risk" | "on_time" | "none";

/** The default SLA warning threshold: at risk once 80% of the time is gone. */
export const AT_RISK_SHARE = 0.8;

/** The deadline due next: the response deadline until the first response, then the resolution deadline. */
export function nextDeadline(t: Ticket): Date | undefined {
  const resp = toDate(t.responseDeadline);
  const res = toDate(t.resolutionDeadline);
  if (!t.firstRespondedAt && resp) return res && res < resp ? res : resp;
  return res;
}

export function slaState(t: Ticket, now = new Date()): SlaState {
  const finished = [TicketStatus.RESOLVED, TicketStatus.CLOSED, TicketStatus.CANCELLED].includes(t.status);
  if (finished) return "none";
  if (t.status === TicketStatus.AWAITING_CITIZEN && t.category !== Category.GBV) return "none";
  const due = nextDeadline(t);
  const created = toDate(t.createTime);
  if (!due || !created) return "none";
  if (due <= now) return "breached";
  if (now.getTime() >= created.getTime() + (due.getTime() - created.getTime()) * AT_RISK_SHARE) return "at_risk";
  return "on_time";
}

export const slaLabel: Record<SlaState, string> = { breached: "Breached", at_risk: "At risk", on_time: "On time", none: "No clock" };
/** Colours with enough contrast on white for text and map points. */
export const slaColour: Record<SlaState, string> = { breached: "#b3261e", at_risk: "#a15c00", on_time: "#1b6e3a", none: "#5f6368" };
