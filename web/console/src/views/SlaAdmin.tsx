// SLA policies and calendars (platform administrators change them; staff
// read them), with the year's South African public holidays.
import { useState } from "preact/hooks";
import { CategorySchema } from "../gen/salga/common/v1/common_pb";
import { WeekdaySchema, type SlaConfig } from "../gen/salga/sla/v1/sla_pb";
import { call } from "../api/client";
import { invalidate, useAction, useQuery } from "../api/data";
import { SlaService } from "../api/services";
import { currentSession, hasRole } from "../auth/session";
import { label } from "../format";
import { ErrorNote, FieldError, Loading, Page } from "../ui/common";
import { AdminTabs } from "./TeamsAdmin";

export function SlaAdmin() {
  const tenant = currentSession()?.tenant ?? "";
  const configs = useQuery(`sla:configs:${tenant}`, () => call(SlaService.method.listSlaConfigs, { municipality: tenant, includeDefaults: true }), 30_000);
  const calendars = useQuery("sla:calendars", () => call(SlaService.method.listCalendars, {}), 30_000);
  const year = new Date().getFullYear();
  const holidays = useQuery(`sla:holidays:${year}`, () => call(SlaService.method.listPublicHolidays, { year }), 3600_000);
  const calName = (id: string) => calendars.data?.calendars.find((c) => c.id === id)?.name ?? (id ? id.slice(0, 8) : "24x7");
  return (
    <Page title="SLA policies and calendars">
      <AdminTabs current="/admin/sla" />
      <section class="card" aria-labelledby="pol-h">
        <h2 id="pol-h">Policies</h2>
        <p class="muted">The policy of a ticket is its municipality's for its category, else the category default, else the global default, else 24 h to respond and 168 h to resolve. GBV clocks always run 24x7.</p>
        {configs.loading && <Loading what="policies" />}
        <ErrorNote error={configs.error} />
        {configs.data && (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">SLA policies</caption>
              <thead><tr><th scope="col">Applies to</th><th scope="col">Category</th><th scope="col">Response</th><th scope="col">Resolution</th><th scope="col">Warning at</th><th scope="col">Calendar</th><th scope="col">Change</th></tr></thead>
              <tbody>{configs.data.configs.map((c) => <PolicyRow key={c.id} c={c} calName={calName} />)}</tbody>
            </table>
          </div>
        )}
        {configs.data?.configs.length === 0 && <p class="empty">No policies: the built-in defaults apply.</p>}
      </section>
      <section class="card" aria-labelledby="cal-h">
        <h2 id="cal-h">Calendars</h2>
        {calendars.loading && <Loading what="calendars" />}
        <ErrorNote error={calendars.error} />
        <ul>
          {(calendars.data?.calendars ?? []).map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong> ({c.timeZone}): {c.alwaysOpen ? "24x7" : c.intervals.map((i) => `${label(WeekdaySchema, i.weekday).slice(0, 3)} ${i.start}–${i.end}`).join(", ")}
              {c.southAfricanHolidays ? "; public holidays off" : ""}
              {c.declaredHolidays.length ? `; also off: ${c.declaredHolidays.map((d) => `${d.name} ${d.date}`).join(", ")}` : ""}
            </li>
          ))}
        </ul>
        {calendars.data?.calendars.length === 0 && <p class="empty">No calendars: every clock counts 24x7.</p>}
        {hasRole(currentSession(), "platform_admin") && <NewCalendar />}
      </section>
      <section class="card" aria-labelledby="hol-h">
        <h2 id="hol-h">South African public holidays {year}</h2>
        {holidays.loading && <Loading what="public holidays" />}
        <ErrorNote error={holidays.error} />
        <ul class="holidays">{(holidays.data?.holidays ?? []).map((h) => <li key={h.date}><time dateTime={h.date}>{h.date}</time> {h.name}</li>)}</ul>
      </section>
    </Page>
  );
}

function PolicyRow({ c, calName }: { c: SlaConfig; calName: (id: string) => string }) {
  const admin = hasRole(currentSession(), "platform_admin");
  const [editing, setEditing] = useState(false);
  const [resp, setResp] = useState(String(c.responseHours));
  const [res, setRes] = useState(String(c.resolutionHours));
  const [warn, setWarn] = useState(String(c.warningThresholdPct));
  const save = useAction(() =>
    call(SlaService.method.updateSlaConfig, {
      id: c.id, config: { responseHours: Number(resp), resolutionHours: Number(res), warningThresholdPct: Number(warn) },
      updateMask: { paths: ["response_hours", "resolution_hours", "warning_threshold_pct"] },
    }),
  );
  const scope = c.municipality || "all municipalities";
  if (!editing) {
    return (
      <tr>
        <td>{scope}</td><td>{c.category ? label(CategorySchema, c.category) : "all"}</td>
        <td>{c.responseHours} h</td><td>{c.resolutionHours} h</td><td>{c.warningThresholdPct}%</td><td>{calName(c.calendarId)}</td>
        <td>{admin ? <button type="button" onClick={() => setEditing(true)}>Edit</button> : <span class="muted">platform admins</span>}</td>
      </tr>
    );
  }
  const n = (set: (v: string) => void) => (e: Event) => set((e.target as HTMLInputElement).value);
  return (
    <tr>
      <td>{scope}</td><td>{c.category ? label(CategorySchema, c.category) : "all"}</td>
      <td><input aria-label="Response hours" inputMode="decimal" size={5} value={resp} onInput={n(setResp)} /><FieldError error={save.error} field="config.response_hours" id={`e-r-${c.id}`} /></td>
      <td><input aria-label="Resolution hours" inputMode="decimal" size={5} value={res} onInput={n(setRes)} /><FieldError error={save.error} field="config.resolution_hours" id={`e-s-${c.id}`} /></td>
      <td><input aria-label="Warning threshold percent" inputMode="numeric" size={3} value={warn} onInput={n(setWarn)} /><FieldError error={save.error} field="config.warning_threshold_pct" id={`e-w-${c.id}`} /></td>
      <td>{calName(c.calendarId)}</td>
      <td>
        <button type="button" disabled={save.busy} onClick={async () => { if (await save.run()) { setEditing(false); invalidate("sla:"); } }}>{save.busy ? "Saving…" : "Save"}</button>
        <button type="button" onClick={() => setEditing(false)}>Cancel</button>
        <ErrorNote error={save.error} />
      </td>
    </tr>
  );
}

function NewCalendar() {
  const [name, setName] = useState("");
  const create = useAction(() =>
    call(SlaService.method.createCalendar, {
      calendar: {
        name, timeZone: "Africa/Johannesburg", southAfricanHolidays: true,
        intervals: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "08:00", end: "16:30" })),
      },
    }),
  );
  return (
    <form class="row" aria-label="New business-hours calendar" onSubmit={async (e) => { e.preventDefault(); if (await create.run()) { setName(""); invalidate("sla:calendars"); } }}>
      <label>New business-hours calendar (Mon–Fri 08:00–16:30, public holidays off)<input value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} /></label>
      <button type="submit" disabled={create.busy}>Create calendar</button>
      <ErrorNote error={create.error} />
    </form>
  );
}
