// The console's one data layer: server state is fetched through here and
// cached by key, never copied into global stores. Views read with useQuery
// and, after a change, invalidate the keys it touched.
import { useEffect, useState } from "preact/hooks";

type Entry = {
  data?: unknown;
  error?: unknown;
  promise?: Promise<unknown>;
  at: number;
  subscribers: Set<() => void>;
  fetcher?: () => Promise<unknown>;
};

const cache = new Map<string, Entry>();

function entry(key: string): Entry {
  let e = cache.get(key);
  if (!e) {
    e = { at: 0, subscribers: new Set() };
    cache.set(key, e);
  }
  return e;
}

function load(key: string, fetcher: () => Promise<unknown>): void {
  const e = entry(key);
  if (e.promise) return;
  const p = fetcher().then(
    (data) => {
      e.data = data;
      e.error = undefined;
    },
    (error: unknown) => {
      e.error = error;
    },
  ).finally(() => {
    e.promise = undefined;
    e.at = Date.now();
    for (const s of e.subscribers) s();
  });
  e.promise = p;
  for (const s of e.subscribers) s();
}

/** The state of a query: data once loaded, the error of the last try, and whether a load runs. */
export type Query<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/**
 * Reads key through fetcher, from the cache when it is younger than maxAgeMs.
 * A null key waits (for a dependency).
 */
export function useQuery<T>(key: string | null, fetcher: () => Promise<T>, maxAgeMs = 15_000): Query<T> {
  const [, tick] = useState(0);
  useEffect(() => {
    if (key === null) return;
    const e = entry(key);
    const s = () => tick((n) => n + 1);
    e.subscribers.add(s);
    if (!e.promise && (e.at === 0 || Date.now() - e.at > maxAgeMs || e.error)) load(key, fetcher);
    // A load that finished between this render and this effect told only
    // the subscribers it had then (say, the view just left): render again
    // with what it brought, or the view would show "Loading" for good.
    else if (!e.promise) s();
    return () => {
      e.subscribers.delete(s);
    };
  }, [key]);
  if (key === null) return { data: undefined, error: undefined, loading: false, reload: () => {} };
  const e = entry(key);
  e.fetcher = fetcher;
  return {
    data: e.data as T | undefined,
    error: e.error,
    loading: !!e.promise || (e.at === 0 && !e.error),
    reload: () => load(key, fetcher),
  };
}

/** Reloads every cached key starting with one of prefixes that is on screen, and forgets the others. */
export function invalidate(...prefixes: string[]): void {
  for (const [key, e] of [...cache]) {
    if (!prefixes.some((p) => key.startsWith(p))) continue;
    if (e.subscribers.size > 0 && e.fetcher) {
      e.at = 0;
      load(key, e.fetcher);
    } else {
      cache.delete(key);
    }
  }
}

/** Forgets everything (sign-out: the next user must not see the last one's data). */
export function clearCache(): void {
  cache.clear();
}

/** Runs an action with its progress and error, for forms and buttons. */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [state, setState] = useState<{ busy: boolean; error: unknown; done: R | undefined }>({ busy: false, error: undefined, done: undefined });
  const run = async (...args: A): Promise<R | undefined> => {
    setState({ busy: true, error: undefined, done: undefined });
    try {
      const r = await fn(...args);
      setState({ busy: false, error: undefined, done: r });
      return r;
    } catch (error) {
      setState({ busy: false, error, done: undefined });
      return undefined;
    }
  };
  return { ...state, run, reset: () => setState({ busy: false, error: undefined, done: undefined }) };
}
