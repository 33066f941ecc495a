/**
 * API calls in tests, typed by the contract (src-main/api/contract.ts): the input as
 * the renderer would send it (`ApiInput<C>`), the value as the channel declares it
 * (`ApiResult<C>`). They go through `dispatch`, so the input is validated exactly as
 * in the app. A test that passes a wrongly-typed input on purpose (to check that
 * validation) calls `dispatch` itself, which takes `unknown`.
 */
import type { Channel } from '../src-main/api/channels.js';
import type { ApiInput, ApiResult, Handlers } from '../src-main/api/contract.js';
import { dispatch } from '../src-main/api/dispatch.js';
import type { ApiErrorValue, Result } from '../src-main/api/errors.js';

/** What a call of `channel` comes back with: its result, or an error value. */
export type CallResult<C extends Channel> = Result<ApiResult<C>>;

/** `dispatch(handlers, channel, input)`, with the channel's input and result types. */
export function call<C extends Channel>(handlers: Handlers, channel: C, input: ApiInput<C>): Promise<CallResult<C>> {
  // dispatch returns `Result<unknown>` because it takes any channel; for a known one the value is
  // what handlers[channel] returned, i.e. ApiResult<C> (Handlers is typed by the contract).
  return dispatch(handlers, channel, input) as Promise<CallResult<C>>;
}

/** The value of a call that must succeed; throws with the error otherwise. */
export async function callOk<C extends Channel>(handlers: Handlers, channel: C, input: ApiInput<C>): Promise<ApiResult<C>> {
  const r = await call(handlers, channel, input);
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`);
  return r.value;
}

/** The error of a call that must fail; throws if it succeeded. */
export async function callRefused<C extends Channel>(handlers: Handlers, channel: C, input: ApiInput<C>): Promise<ApiErrorValue> {
  const r = await call(handlers, channel, input);
  if (r.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return r.error;
}
