import { FlagwireConfigError } from '../core/errors';
import { type Logger, leveledLogger } from '../core/logger';

export interface DeferOptions<A extends unknown[], R> {
  /** The adapter's name, for the log line. */
  name: string;
  /** @default the console */
  logger?: Logger | undefined;
  /** The answer while the options are invalid (a 500, so the sender retries once they are fixed). */
  misconfigured: (...args: A) => R | Promise<R>;
}

/**
 * Creates a webhook handler on its first request rather than at import: Next imports route modules during
 * `next build`, where the secret may not be set. While the options are invalid, every request is answered by
 * `misconfigured` and the reason logged; once created, the handler is reused.
 */
export function deferWebhookHandler<A extends unknown[], R>(create: () => (...args: A) => Promise<R>, options: DeferOptions<A, R>): (...args: A) => Promise<R> {
  const logger = options.logger ?? leveledLogger();
  let handler: ((...args: A) => Promise<R>) | undefined;
  return async (...args) => {
    try {
      handler ??= create();
    } catch (error) {
      if (!(error instanceof FlagwireConfigError)) throw error;
      logger.error(`${options.name}: the webhook endpoint is not configured, so the delivery was answered 500: ${error.message}`);
      return options.misconfigured(...args);
    }
    return handler(...args);
  };
}
