/**
 * One named logger per module. Lines go to stderr as JSON so they never mix with
 * the CLI's JSON output on stdout. Secrets must never be passed here: callers log
 * identifiers and counts, not PINs, passwords or tokens.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const threshold = order[(process.env['VANTHU_LOG_LEVEL'] as LogLevel | undefined) ?? 'warn'] ?? order.warn;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(name: string): Logger {
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (order[level] < threshold) return;
    const line = JSON.stringify({ at: new Date().toISOString(), level, logger: name, message, ...fields });
    process.stderr.write(line + '\n');
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
