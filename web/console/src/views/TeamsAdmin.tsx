// Teams: the list, and one team's editor (name, category, SAPS flag,
// manager, escalation team, members, active) with its service area drawn
// on the map or uploaded as GeoJSON.
import { useRef, useState } from "preact/hooks";
import type { JsonObject } from "@bufbuild/protobuf";
import { Category, CategorySchema } from "../gen/salga/common/v1/common_pb";
import type { Team, TeamMember } from "../gen/salga/routing/v1/routing_pb";
import { call } from "../api/client";
import { invalidate, useAction, useQuery } from "../api/data";
import { RoutingService, useTeams } from "../api/services";
import { currentToken, currentSession, isAdmin } from "../auth/session";
import { getConfig } from "../config";
import { label, options } from "../format";
import { href, navigate } from "../router";
import { ErrorNote, FieldError, Loading, Page } from "../ui/common";
import { TicketMap, type MapController } from "../map/TicketMap";
import { areasOf, asGeometry, bboxOf } from "../map/geo";
import { useMunicipality } from "./MapPage";

export function AdminTabs({ current }: { current: string }) {
  const tabs: Array<[string, string]> = [["/admin/teams", "Teams"], ["/admin/sla", "SLA policies and calendars"], ["/admin/api-keys", "API keys"]];
  return (
    <nav class="tabs" aria-label="Administration">
      {tabs.map(([to, name]) => <a key={to} href={href(to)} aria-current={current === to ? "page" : undefined}>{name}</a>)}
    </nav>
  );
}

export function TeamsAdmin() {
  const teams = useTeams();
  const admin = isAdmin(currentSession());
  return (
    <Page title="Teams" actions={admin ? <a class="button" href={href("/admin/teams/new")}>New team</a> : undefined}>
      <AdminTabs current="/admin/teams" />
      {teams.loading && <Loading what="teams" />}
      <ErrorNote error={teams.error} />
      {teams.data && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Teams of the municipality</caption>
            <thead><tr><th scope="col">Team</th><th scope="col">Category</th><th scope="col">Manager</th><th scope="col">Members</th><th scope="col">Area</th><th scope="col">State</th></tr></thead>
            <tbody>
              {teams.data.map((t) => (
                <tr key={t.id} class={t.active ? "" : "inactive"}>
                  <td><a href={href(`/admin/teams/${t.id}`)}>{t.name}</a>{t.isSaps ? " (SAPS)" : ""}</td>
                  <td>{label(CategorySchema, t.category)}</td>
                  <td>{t.managerId || "—"}</td>
                  <td>{t.members.length}</td>
                  <td>{t.areaSqKm ? `${t.areaSqKm.toFixed(1)} km²` : "none"}</td>
                  <td>{t.active ? "active" : "inactive"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}

export function TeamEditorPage({ id }: { id: string }) {
  const q = useQuery(id === "new" ? null : `team:${id}`, () => call(RoutingService.method.getTeam, { id }));
  if (id !== "new" && q.loading && !q.data) return <Page title="Team"><Loading what="the team" /></Page>;
  if (q.error) return <Page title="Team"><ErrorNote error={q.error} /></Page>;
  return <TeamEditor key={id} team={q.data?.team} />;
}

type Ring = Array<[number, number]>;

function TeamEditor({ team }: { team: Team | undefined }) {
  const admin = isAdmin(currentSession());
  const teams = useTeams();
  const muni = useMunicipality();
  const [name, setName] = useState(team?.name ?? "");
  const [category, setCategory] = useState<number>(team?.category ?? Category.WATER);
  const [isSaps, setIsSaps] = useState(team?.isSaps ?? false);
  const [managerId, setManagerId] = useState(team?.managerId ?? "");
  const [escalation, setEscalation] = useState(team?.escalationTeamId ?? "");
  const [active, setActive] = useState(team?.active ?? true);
  const [members, setMembers] = useState<Array<{ userId: string; displayName: string }>>((team?.members ?? []).map((m: TeamMember) => ({ userId: m.userId, displayName: m.displayName })));
  const [area, setArea] = useState<JsonObject | undefined>(team?.serviceArea);
  const [areaChanged, setAreaChanged] = useState(false);
  const [drawing, setDrawing] = useState<Ring | null>(null);
  const [areaText, setAreaText] = useState("");
  const [areaError, setAreaError] = useState("");
  const [saved, setSaved] = useState("");
  const ctl = useRef<MapController | null>(null);

  const save = useAction(async () => {
    const body = {
      name, category, isSaps, managerId, escalationTeamId: escalation, active,
      members: members.filter((m) => m.userId.trim()),
      ...(area ? { serviceArea: area } : {}),
    };
    if (!team) {
      const r = await call(RoutingService.method.createTeam, { team: body });
      return r.team;
    }
    const paths = ["name", "category", "is_saps", "manager_id", "escalation_team_id", "members", "active"];
    if (areaChanged) paths.push("service_area");
    const r = await call(RoutingService.method.updateTeam, { id: team.id, team: body, updateMask: { paths } });
    return r.team;
  });
  const deactivate = useAction(() => call(RoutingService.method.deactivateTeam, { id: team!.id }));

  const useGeoJson = (text: string) => {
    setAreaError("");
    try {
      let g = JSON.parse(text) as { type?: string; geometry?: unknown; features?: Array<{ geometry?: unknown }> };
      if (g.type === "FeatureCollection" && g.features?.length === 1) g = g.features[0]!.geometry as typeof g;
      if (g.type === "Feature") g = g.geometry as typeof g;
      if (g.type !== "Polygon" && g.type !== "MultiPolygon") throw new Error("the GeoJSON must be a Polygon or MultiPolygon (or a Feature of one)");
      setArea(g as JsonObject);
      setAreaChanged(true);
      ctl.current?.setAreas(areasOf([{ ...(team ?? {}), id: "draft", serviceArea: g as JsonObject } as Team], "draft"));
      const bb = bboxOf(g as GeoJSON.Geometry);
      if (bb) ctl.current?.fit(bb);
    } catch (err) {
      setAreaError(err instanceof Error ? err.message : String(err));
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved("");
    const t = await save.run();
    if (!t) return;
    invalidate("teams", `team:${t.id}`, "queue", "tickets");
    setAreaChanged(false);
    setSaved(`Saved ${t.name}.`);
    if (!team) navigate(`/admin/teams/${t.id}`, true);
  };

  const initialArea = asGeometry(team?.serviceArea) ?? asGeometry(muni.data?.municipality?.boundary);
  const others = (teams.data ?? []).filter((t) => t.id !== team?.id);
  return (
    <Page title={team ? `Team: ${team.name}` : "New team"}>
      <AdminTabs current="/admin/teams" />
      {!admin && <p class="notice">Only a municipal administrator may change teams; you can look.</p>}
      <div class="ticket-grid">
        <form class="card stack" aria-label="Team" onSubmit={submit}>
          <h2>Team</h2>
          <label>Name<input value={name} required onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-describedby="err-name" /></label>
          <FieldError error={save.error} field="team.name" id="err-name" />
          <label>
            Category
            <select value={category} onChange={(e) => setCategory(Number((e.target as HTMLSelectElement).value))}>
              {options(CategorySchema).map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
            </select>
          </label>
          <label class="check"><input type="checkbox" checked={isSaps} onChange={(e) => setIsSaps((e.target as HTMLInputElement).checked)} /> SAPS liaison team (the only teams that may receive GBV tickets)</label>
          <label>Manager (user id)<input value={managerId} onInput={(e) => setManagerId((e.target as HTMLInputElement).value)} aria-describedby="err-manager" /></label>
          <FieldError error={save.error} field="team.manager_id" id="err-manager" />
          <label>
            Escalation team
            <select value={escalation} onChange={(e) => setEscalation((e.target as HTMLSelectElement).value)}>
              <option value="">None (escalate to the manager)</option>
              {others.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </select>
          </label>
          <label class="check"><input type="checkbox" checked={active} onChange={(e) => setActive((e.target as HTMLInputElement).checked)} /> Active (receives new tickets)</label>
          <fieldset>
            <legend>Members</legend>
            {members.map((m, i) => (
              <div class="row" key={i}>
                <label>User id<input value={m.userId} onInput={(e) => setMembers(members.map((x, j) => (j === i ? { ...x, userId: (e.target as HTMLInputElement).value } : x)))} /></label>
                <label>Name<input value={m.displayName} onInput={(e) => setMembers(members.map((x, j) => (j === i ? { ...x, displayName: (e.target as HTMLInputElement).value } : x)))} /></label>
                <button type="button" onClick={() => setMembers(members.filter((_, j) => j !== i))} aria-label={`Remove member ${m.userId || i + 1}`}>Remove</button>
              </div>
            ))}
            <button type="button" onClick={() => setMembers([...members, { userId: "", displayName: "" }])}>Add member</button>
          </fieldset>
          <FieldError error={save.error} field="team.service_area" id="err-area-save" />
          <ErrorNote error={save.error} />
          {saved && <p class="ok" role="status">{saved}</p>}
          <div class="row">
            <button type="submit" disabled={!admin || save.busy}>{save.busy ? "Saving…" : team ? "Save team" : "Create team"}</button>
            {team?.active && (
              <button type="button" class="danger" disabled={!admin || deactivate.busy} onClick={async () => { if (await deactivate.run()) { invalidate("teams", `team:${team.id}`); setActive(false); setSaved("Deactivated: the team receives no new tickets."); } }}>
                Deactivate
              </button>
            )}
          </div>
          <ErrorNote error={deactivate.error} />
        </form>
        <section class="card" aria-labelledby="area-h">
          <h2 id="area-h">Service area</h2>
          <p class="muted">{area ? (areaChanged ? "Changed: save the team to keep it." : "The area routing uses for this team.") : "No area: the team is reached only as the nearest fallback."}</p>
          {muni.data && (
            <TicketMap
              label="Service area of the team"
              className="medium"
              options={{
                token: currentToken, tileUrl: getConfig().tile_url, tileAttribution: getConfig().tile_attribution,
                boundary: asGeometry(muni.data.municipality?.boundary),
                areas: areasOf(team ? [team] : [], team?.id ?? ""),
              }}
              onReady={(m) => { ctl.current = m; const bb = bboxOf(initialArea); if (bb) m.fit(bb); }}
            />
          )}
          <div class="row">
            {drawing === null ? (
              <button type="button" disabled={!admin} onClick={() => { setDrawing([]); ctl.current?.startDrawing((ring) => setDrawing(ring)); }}>Draw a new area</button>
            ) : (
              <>
                <span role="status">{drawing.length} corner{drawing.length === 1 ? "" : "s"}: click the map to add corners.</span>
                <button type="button" disabled={drawing.length < 3} onClick={() => {
                  const ring = [...drawing, drawing[0]!];
                  ctl.current?.stopDrawing();
                  setDrawing(null);
                  useGeoJson(JSON.stringify({ type: "Polygon", coordinates: [ring] }));
                }}>Finish area</button>
                <button type="button" onClick={() => { ctl.current?.stopDrawing(); setDrawing(null); }}>Cancel drawing</button>
              </>
            )}
          </div>
          <label>
            Or upload a GeoJSON file
            <input type="file" accept=".geojson,.json,application/geo+json,application/json" disabled={!admin}
              onChange={async (e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) useGeoJson(await f.text()); }} />
          </label>
          <details>
            <summary>Or paste GeoJSON</summary>
            <label>GeoJSON Polygon or MultiPolygon<textarea rows={4} value={areaText} onInput={(e) => setAreaText((e.target as HTMLTextAreaElement).value)} /></label>
            <button type="button" disabled={!admin} onClick={() => useGeoJson(areaText)}>Use this area</button>
          </details>
          {areaError && <p class="field-error" role="alert">{areaError}</p>}
        </section>
      </div>
    </Page>
  );
}
