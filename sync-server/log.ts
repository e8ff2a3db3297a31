/**
 * Structured logs: one JSON object per line. Callers pass named fields, never raw requests,
 * URLs with queries or headers, so a token has no way in; `redact` is the second line of
 * defence for any string field that looks like one of our tokens.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined | readonly (string | number)[]>;
export type LogSink = (line: string) => void;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Logged at info level whatever the minimum level: the `listening` line scripts wait for. */
  announce(msg: string, fields?: LogFields): void;
}

const tokenLike = /dl1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/gu;

export function redact(text: string): string {
  return text.replace(tokenLike, 'dl1.[redacted]');
}

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  sink: LogSink = (line) => process.stdout.write(line + '\n'),
  minLevel: LogLevel = 'info',
): Logger {
  const write = (level: LogLevel, msg: string, fields: LogFields = {}, always = false) => {
    if (!always && levels[level] < levels[minLevel]) return;
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg: redact(msg) };
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) entry[key] = typeof value === 'string' ? redact(value) : value;
    }
    sink(JSON.stringify(entry));
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    announce: (msg, fields) => write('info', msg, fields, true),
  };
}
