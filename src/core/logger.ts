/** Where flagwire writes what it has to say. Pass your own (pino, winston, console) as `logger`. */
export interface Logger {
  error(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  debug(message: string, ...details: unknown[]): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];
export const LOG_LEVELS: ReadonlySet<string> = new Set(LEVELS);

/** Messages carry flagwire's prefix once, whether or not they came from a `FlagwireError` (which has it). */
const prefixed = (message: string) => (message.startsWith('[flagwire] ') ? message : `[flagwire] ${message}`);

const consoleLogger: Logger = {
  // eslint-disable-next-line no-console -- the default logger is the console
  error: (message, ...details) => console.error(prefixed(message), ...details),
  // eslint-disable-next-line no-console
  warn: (message, ...details) => console.warn(prefixed(message), ...details),
  // eslint-disable-next-line no-console
  info: (message, ...details) => console.info(prefixed(message), ...details),
  // eslint-disable-next-line no-console
  debug: (message, ...details) => console.debug(prefixed(message), ...details),
};

const noop = () => {};

/** The logger, with messages below `level` dropped before they reach it. */
export function leveledLogger(logger: Logger = consoleLogger, level: LogLevel = 'warn'): Logger {
  const threshold = LEVELS.indexOf(level);
  const pass = (l: LogLevel) => LEVELS.indexOf(l) >= threshold;
  return {
    error: pass('error') ? logger.error.bind(logger) : noop,
    warn: pass('warn') ? logger.warn.bind(logger) : noop,
    info: pass('info') ? logger.info.bind(logger) : noop,
    debug: pass('debug') ? logger.debug.bind(logger) : noop,
  };
}
