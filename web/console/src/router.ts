// Every view has a URL under /console/: the router reads location, and
// navigate() pushes history entries, so deep links, reloads and the back
// button work as people expect.
import { useLayoutEffect, useState } from "preact/hooks";

export const BASE = "/console";

/**
 * Whether the next page to appear should take the keyboard focus to its
 * heading: after the console opens and after every move to another path
 * (a link, the back button, a redirect), not after a change of filters.
 */
let headingWanted = true;

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => {
  headingWanted = true;
  listeners.forEach((l) => l());
});

/** Takes the request to focus the next page's heading (see Page). */
export function takeHeadingFocus(): boolean {
  const w = headingWanted;
  headingWanted = false;
  return w;
}

/** The current route: the path after /console and the query. */
export type Route = { path: string; query: URLSearchParams; href: string };

export function currentRoute(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || "/" : "/";
  return { path, query: new URLSearchParams(location.search), href: path + location.search };
}

export function useRoute(): Route {
  const [, tick] = useState(0);
  // A layout effect subscribes before any child's effect can navigate.
  useLayoutEffect(() => {
    const l = () => tick((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return currentRoute();
}

/** Goes to a console path ("/tickets/..."), adding a history entry unless replace. */
export function navigate(to: string, replace = false): void {
  const url = BASE + (to.startsWith("/") ? to : "/" + to);
  if (url === location.pathname + location.search) return;
  if (url.split("?")[0] !== location.pathname) headingWanted = true;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  listeners.forEach((l) => l());
  if (!replace) window.scrollTo(0, 0);
}

/** The console URL of a path, for <a href>. */
export const href = (to: string) => BASE + (to.startsWith("/") ? to : "/" + to);

/** Replaces the query of the current view (filters, paging) without a new history entry per keystroke. */
export function setQuery(q: URLSearchParams, replace = true): void {
  const s = q.toString();
  navigate(currentRoute().path + (s ? `?${s}` : ""), replace);
}

/** Intercepts clicks on in-app links so they navigate without a reload. */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener("click", (ev) => {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = (ev.target as Element).closest("a");
    if (!a || a.target || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(BASE + "/")) return;
    ev.preventDefault();
    navigate(url.pathname.slice(BASE.length) + url.search);
  });
}
