// Small pieces every view uses: errors from the API next to what failed,
// progress on slow calls, live countdowns and SLA badges.
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { slaColour, slaLabel, type SlaState } from "../sla";
import { span } from "../format";
import { takeHeadingFocus } from "../router";

/** The message of an error as a person should read it. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.httpStatus === 403) return `Not allowed: ${err.message}`;
    if (err.httpStatus === 404) return `Not found: ${err.message}`;
    if (err.httpStatus === 429) return "Too many requests; wait a moment and try again.";
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** An error box for a failed load or action (role=alert so it is read out). */
export function ErrorNote({ error, id }: { error: unknown; id?: string }) {
  if (!error) return null;
  const violations = error instanceof ApiError ? error.violations : [];
  return (
    <div class="error" role="alert" id={id}>
      <strong>{messageOf(error)}</strong>
      {violations.length > 1 && (
        <ul>
          {violations.map((v) => (
            <li key={v.field}>
              <code>{v.field}</code>: {v.description}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The API's rule for one form field, shown under it. */
export function FieldError({ error, field, id }: { error: unknown; field: string; id: string }) {
  const rule = error instanceof ApiError ? error.forField(field) : undefined;
  if (!rule) return null;
  return (
    <p class="field-error" id={id} role="alert">
      {field.replace(/_/g, " ")} {rule}
    </p>
  );
}

/** A progress indicator for a slow call. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

/** Re-renders every second, for live countdowns. */
export function useNow(periodMs = 1000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
  return now;
}

/** A live countdown to a deadline ("3 h 12 min left", "2 h overdue"). */
export function Countdown({ deadline }: { deadline: Date | undefined }) {
  const now = useNow();
  if (!deadline) return <span class="muted">no deadline</span>;
  const ms = deadline.getTime() - now.getTime();
  return (
    <time class={ms < 0 ? "countdown overdue" : "countdown"} dateTime={deadline.toISOString()} data-testid="countdown">
      {ms < 0 ? span(ms) : `${span(ms)} left`}
    </time>
  );
}

export function SlaBadge({ state }: { state: SlaState }) {
  return (
    <span class={`badge sla-${state}`} style={{ borderColor: slaColour[state], color: slaColour[state] }}>
      {slaLabel[state]}
    </span>
  );
}

export function Page({ title, actions, children }: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Trust Engine`;
  }, [title]);
  // The first page to appear after a move to another path takes the focus
  // to its heading, so keyboard and screen-reader users start reading
  // there: in a layout effect, on this page's own heading, before anything
  // else can run.
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    if (takeHeadingFocus()) heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-head">
        <h1 id="page-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions && <div class="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}
