// The console's shell: the session gate, the navigation bar and the views
// by URL.
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { clearCache } from "./api/data";
import { currentSession, hasRole, isAdmin, isStaff, onSessionChange, signOut } from "./auth/session";
import { href, navigate, useRoute } from "./router";
import { Page } from "./ui/common";
import { AtRiskQueue, BreachedQueue, TeamQueue, TriageQueue } from "./views/Queues";
import { TicketSearch } from "./views/TicketSearch";
import { TicketPage } from "./views/TicketPage";
import { MapPage } from "./views/MapPage";
import { TeamEditorPage, TeamsAdmin } from "./views/TeamsAdmin";
import { SlaAdmin } from "./views/SlaAdmin";
import { ApiKeys } from "./views/ApiKeys";
import { Dashboard } from "./views/Dashboard";
import { OidcCallback, SignInPage, homeOf } from "./views/SignIn";

function useSession() {
  const [, tick] = useState(0);
  useLayoutEffect(
    () =>
      onSessionChange(() => {
        // The next user must not see the last one's data.
        if (!currentSession()) clearCache();
        tick((n) => n + 1);
      }),
    [],
  );
  return currentSession();
}

function NavBar() {
  const s = currentSession();
  const route = useRoute();
  if (!s) return null;
  const links: Array<[string, string, boolean]> = [
    ["/queues/team", "Queues", isStaff(s)],
    ["/tickets", "Tickets", true],
    ["/map", "Map", true],
    ["/dashboard", "Dashboard", isStaff(s) || hasRole(s, "platform_admin")],
    ["/admin/teams", "Administration", isStaff(s) || isAdmin(s)],
  ];
  const active = (to: string) => route.path === to || route.path.startsWith(to.split("/").slice(0, 2).join("/") + "/") || (to === "/queues/team" && route.path.startsWith("/queues"));
  return (
    <header class="topbar">
      <a class="skip" href="#main">Skip to content</a>
      <span class="brand">Trust Engine</span>
      <nav aria-label="Main">
        {links.filter(([, , show]) => show).map(([to, name]) => (
          <a key={to} href={href(to)} aria-current={active(to) ? "page" : undefined}>{name}</a>
        ))}
      </nav>
      <span class="who" data-testid="who">
        {s.roles.join(", ").replace(/_/g, " ")} of {s.tenant}
        {s.via === "development" ? " (development)" : ""}
      </span>
      <button type="button" onClick={() => { signOut(); navigate("/signin"); }}>Sign out</button>
    </header>
  );
}

/** Goes to another view once rendered (navigating during a render would be lost). */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function View() {
  const route = useRoute();
  const s = currentSession();
  const p = route.path;
  if (p === "/oidc/callback") return <OidcCallback />;
  if (!s || p === "/signin") {
    if (s && p === "/signin") return <Redirect to={route.query.get("next") || homeOf(s.roles)} />;
    if (p !== "/signin") return <Redirect to={`/signin?next=${encodeURIComponent(route.href)}`} />;
    return <SignInPage />;
  }
  if (p === "/" || p === "") return <Redirect to={homeOf(s.roles)} />;
  const m = (re: RegExp) => p.match(re);
  let v;
  if (p === "/queues/team") return <TeamQueue />;
  if (p === "/queues/triage") return <TriageQueue />;
  if (p === "/queues/at-risk") return <AtRiskQueue />;
  if (p === "/queues/breached") return <BreachedQueue />;
  if (p === "/tickets") return <TicketSearch />;
  if ((v = m(/^\/tickets\/([0-9a-f-]{36})$/))) return <TicketPage key={v[1]} id={v[1]!} />;
  if (p === "/map") return <MapPage />;
  if (p === "/dashboard") return <Dashboard />;
  if (p === "/admin/teams") return <TeamsAdmin />;
  if ((v = m(/^\/admin\/teams\/(new|[0-9a-f-]{36})$/))) return <TeamEditorPage key={v[1]} id={v[1]!} />;
  if (p === "/admin/sla") return <SlaAdmin />;
  if (p === "/admin/api-keys") return <ApiKeys />;
  return (
    <Page title="Page not found">
      <p>There is no console page at this address. <a href={href(homeOf(s.roles))}>Go to your first page</a>.</p>
    </Page>
  );
}

export function App() {
  useSession();
  return (
    <>
      <NavBar />
      <main id="main">
        <View />
      </main>
    </>
  );
}
