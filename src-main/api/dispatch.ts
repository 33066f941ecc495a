/**
 * The one entry point for calls from the renderer, whatever carries them (IPC or
 * the preview host's HTTP bridge): the channel must be known, the input must pass
 * its schema, and every failure comes back as a value with a stable code.
 */
import { createLogger } from '../log.js';
import { isChannel, type Channel } from './channels.js';
import { contract, type Handlers } from './contract.js';
import { AppError, toErrorValue, type Result } from './errors.js';

const log = createLogger('api');

export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    log.warn('rejected unknown channel', { channel: String(channel).slice(0, 60) });
    return { ok: false, error: { code: 'FORBIDDEN', message: 'Unknown channel' } };
  }
  const parsed = contract[channel].input.safeParse(rawInput ?? undefined);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    log.info('rejected invalid input', { channel, issues });
    return { ok: false, error: { code: 'INVALID_INPUT', message: 'Invalid input', details: issues } };
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (!(error instanceof AppError)) log.error('handler failed', { channel, error: describe(error) });
    return { ok: false, error: toErrorValue(error) };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export type { Channel };
