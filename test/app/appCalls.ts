/**
 * Calls to an opened store's handlers in the app tests: one that must succeed (typed by
 * the contract), one that must be refused (any input: refusals are what is tested), and
 * "sync now" until the outbox is empty.
 */
import type { Channel } from '../../src-main/api/channels.js';
import type { ApiInput, ApiResult } from '../../src-main/api/contract.js';
import { dispatch } from '../../src-main/api/dispatch.js';
import type { SyncRunResult } from '../../src-main/api/types.js';
import type { AppServices } from '../../src-main/app/services.js';
import { callOk } from '../call.js';

export function ok<C extends Channel>(s: AppServices, channel: C, input: ApiInput<C>): Promise<ApiResult<C>> {
  return callOk(s.handlers, channel, input);
}

export async function refused(s: AppServices, channel: string, input: unknown) {
  const r = await dispatch(s.handlers, channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}

/** `sync:now` until a round succeeds with nothing left to send (at most `rounds`). */
export async function syncUntilSent(s: AppServices, rounds = 40): Promise<SyncRunResult> {
  let last: SyncRunResult | undefined;
  for (let i = 0; i < rounds; i += 1) {
    last = await ok(s, 'sync:now', {});
    if (last.ok && last.state.pendingOutbox === 0) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sync did not settle: ${JSON.stringify(last)}`);
}
