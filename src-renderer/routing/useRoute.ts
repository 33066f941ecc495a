import { useMemo, useSyncExternalStore } from 'react';
import { parseHash, type Route } from './routes.js';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('hashchange', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('hashchange', listener);
  };
}

const currentHash = () => window.location.hash;

/** Goes to a hash; `replace` keeps history clean while typing a search. */
export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (window.location.hash === hash) return;
  if (options.replace) {
    history.replaceState(history.state, '', hash);
    for (const listener of listeners) listener();
  } else {
    window.location.hash = hash;
  }
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash);
  return useMemo(() => parseHash(hash), [hash]);
}
