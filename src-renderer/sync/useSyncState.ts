import { useCallback, useEffect, useState } from 'react';
import type { SyncStateView } from '../../src-main/api/types.js';
import { api, call } from '../api/call.js';

const listeners = new Set<(s: SyncStateView) => void>();

/** Tells every sync indicator about a new state (after "sync now" or a configuration). */
export function publishSyncState(state: SyncStateView): void {
  for (const l of listeners) l(state);
}

/** The sync state, polled (every second while something runs); `refresh` asks at once. */
export function useSyncState(): { state: SyncStateView | null; refresh: () => void } {
  const [state, setState] = useState<SyncStateView | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    listeners.add(setState);
    return () => {
      listeners.delete(setState);
    };
  }, []);
  useEffect(() => {
    let live = true;
    call(api().sync.state({})).then(
      (value) => live && setState(value),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [tick]);
  // Often while a round runs or received signatures are being checked, so progress and verdicts show as they come.
  const busy = (state?.running ?? false) || (state?.verifying ?? false);
  useEffect(() => {
    const timer = setInterval(refresh, busy ? 1000 : 10_000);
    return () => clearInterval(timer);
  }, [busy, refresh]);
  return { state, refresh };
}
