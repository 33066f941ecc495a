/** HTTP plumbing shared by the transport adapters: timeouts, and failures told apart as the engine needs. */
import { TransportError } from './transport.js';

/** fetch with a timeout (and the caller's abort signal); no answer at all is a `network` error. */
export async function fetchOrNetworkError(url: string, init: RequestInit & { timeoutMs: number; signal?: AbortSignal }): Promise<Response> {
  const { timeoutMs, signal, ...rest } = init;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    return await fetch(url, { ...rest, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  } catch (error) {
    throw new TransportError('network', `${init.method ?? 'GET'} ${new URL(url).pathname} failed: ${causeOf(error)}`);
  }
}

/** The answer's JSON; a body cut short (or not JSON) is a `network` error, tried again. */
export async function readJson<T>(res: Response): Promise<T> {
  try {
    return (await res.json()) as T;
  } catch (error) {
    throw new TransportError('network', `Answer unreadable (truncated?): ${causeOf(error)}`);
  }
}

export function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
