import { AsyncLocalStorage } from 'node:async_hooks';
import { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { type OverridesOption, overridesCookieIn, overridesSecret, readOverridesCookie } from '../flags-sdk';
import { type EvaluationContext, type FlagsClient, type FlagsSnapshot, FlagwireConfigError, FlagwireError, leveledLogger, type Logger } from '../server';

declare global {
  // Declaration merging is how Express types request extensions.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** This request's flags: looked up once by `flagsMiddleware`, read synchronously. */
      flags: FlagsSnapshot;
    }
  }
}

export interface FlagsMiddlewareOptions {
  /** Who the request is for: company and user keys from the session, cookies or headers. */
  context(req: Request): EvaluationContext | Promise<EvaluationContext>;
  /** The longest the lookup may take before the request proceeds on defaults. @default the client's timeoutMs */
  timeoutMs?: number;
  /**
   * Make the request's flags readable anywhere below with `currentFlags()`, through AsyncLocalStorage. Off by
   * default: on Node 20, AsyncLocalStorage turns on async hooks, which slows every async operation in the
   * process (≈ a fifth of a hello-world's throughput in `npm run bench`). @default false
   */
  asyncContext?: boolean;
  /** Where a failing `context` is reported (the first failure, then a count at most every 10 s). @default the console */
  logger?: Logger;
  /**
   * Flag overrides from the request's overrides cookie (Flags Explorer's, or flagwire's toolbar's), applied to
   * `req.flags` and so to the browser payload: read only with a secret, `{ secret }` or `FLAGS_SECRET` by
   * default; `false` never reads them. A cookie forged, tampered with or expired is ignored.
   */
  overrides?: OverridesOption;
}

const KNOWN_OPTIONS: readonly string[] = ['context', 'timeoutMs', 'asyncContext', 'logger', 'overrides'];
/** How often a `context` that keeps failing is reported: an outage of the session store must not flood the log. */
const LOG_SUMMARY_INTERVAL_MS = 10_000;
const NOT_MOUNTED =
  'req.flags was read on a request that did not pass through flagsMiddleware: mount app.use(flagsMiddleware(client, { context })) before this route';

const storage = new AsyncLocalStorage<FlagsSnapshot>();

/** Express's request prototypes whose `flags` reads `res.locals.flags`. */
const servedPrototypes = new WeakSet<object>();

/**
 * Makes `req.flags` a getter reading `res.locals.flags` on one of Express's request prototypes. Adding an own
 * property to every request object instead costs V8 a map migration per request (about a tenth of a hello
 * world's work in the callgrind profile). On a request that did not pass through the middleware it throws a
 * message saying what to do, where `undefined` would fail later as "cannot read properties of undefined".
 */
function serveFlags(prototype: object): void {
  if (servedPrototypes.has(prototype)) return;
  Object.defineProperty(prototype, 'flags', {
    configurable: true,
    get(this: Request) {
      const flags = this.res?.locals?.flags as FlagsSnapshot | undefined;
      if (flags === undefined) throw new FlagwireError('invalid_config', NOT_MOUNTED);
      return flags;
    },
    // Code that assigns req.flags itself gets an ordinary property, as before.
    set(this: Request, value: FlagsSnapshot) {
      Object.defineProperty(this, 'flags', { value, writable: true, configurable: true, enumerable: true });
    },
  });
  servedPrototypes.add(prototype);
}

/**
 * Serves `req.flags` from the request's Express prototype (the one every app's `app.request` inherits from,
 * so mounted sub-apps see it too). Node's own prototype is never touched; `false` when the request is not an
 * Express one.
 */
function serveFromPrototype(req: Request): boolean {
  let prototype: object | null = Object.getPrototypeOf(req);
  while (prototype !== null && Object.getPrototypeOf(prototype) !== IncomingMessage.prototype) prototype = Object.getPrototypeOf(prototype);
  if (prototype === null) return false;
  if (servedPrototypes.has(prototype)) return true;
  if (!req.res) return false;
  serveFlags(prototype);
  return true;
}

/** A known option the misspelt one likely meant: the same letters in order, with some left out or added. */
function suggestion(field: string): string | undefined {
  const normalize = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
  const within = (short: string, long: string) => {
    let i = 0;
    for (const letter of long) if (letter === short[i]) i++;
    return i === short.length;
  };
  const given = normalize(field);
  if (given.length < 3) return undefined;
  return KNOWN_OPTIONS.find((known) => within(given, normalize(known)) || within(normalize(known), given));
}

/** Validates `flagsMiddleware`'s arguments at creation, as `createFlagsClient` does its options. */
function checkArguments(client: unknown, options: unknown): asserts options is FlagsMiddlewareOptions {
  const candidate = client as Partial<FlagsClient> | null | undefined;
  if (typeof candidate?.snapshot !== 'function' || typeof candidate.snapshotNow !== 'function') {
    throw new FlagwireConfigError('client', 'flagsMiddleware(client, options) needs the FlagsClient from createFlagsClient()');
  }
  if (typeof options !== 'object' || options === null) throw new FlagwireConfigError('options', 'expected { context: (req) => ({ company, user }) }');
  for (const field of Object.keys(options)) {
    if (KNOWN_OPTIONS.includes(field)) continue;
    const meant = suggestion(field);
    throw new FlagwireConfigError(field, `unknown option${meant ? ` (did you mean "${meant}"?)` : ''}`);
  }
  const { context, timeoutMs, asyncContext, logger } = options as Record<string, unknown>;
  if (typeof context !== 'function') throw new FlagwireConfigError('context', 'expected a function (req) => ({ company, user })');
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0)) {
    throw new FlagwireConfigError('timeoutMs', `expected a duration in milliseconds (a number ≥ 0), got ${JSON.stringify(timeoutMs) ?? String(timeoutMs)}`);
  }
  if (asyncContext !== undefined && typeof asyncContext !== 'boolean') throw new FlagwireConfigError('asyncContext', 'expected true or false');
  if (logger !== undefined && typeof (logger as Partial<Logger> | null)?.error !== 'function') {
    throw new FlagwireConfigError('logger', 'expected a logger (an object with error, warn, info and debug)');
  }
  const { overrides } = options as Record<string, unknown>;
  if (overrides !== undefined && overrides !== false && (typeof overrides !== 'object' || overrides === null)) {
    throw new FlagwireConfigError('overrides', 'expected { secret } or false');
  }
}

/** Reports a failing `context`: the first failure, then a count at most every 10 s. */
function contextFailureReporter(logger: Logger): (error: unknown) => void {
  let unreported = 0;
  let lastReport = Number.NEGATIVE_INFINITY;
  return (error) => {
    unreported++;
    const now = Date.now();
    if (now - lastReport < LOG_SUMMARY_INTERVAL_MS) return;
    const more = unreported - 1;
    unreported = 0;
    lastReport = now;
    const reason = error instanceof Error ? error.message : String(error);
    logger.error(`flagsMiddleware: options.context failed${more > 0 ? ` (and ${more} more in the last 10 s)` : ''}; serving defaults: ${reason}`, error);
  };
}

/** The current request's flags from anywhere below `flagsMiddleware` in the call stack, without `req`. */
export function currentFlags(): FlagsSnapshot {
  const snapshot = storage.getStore();
  if (!snapshot) {
    throw new Error('[flagwire] currentFlags() was called outside a request handled by flagsMiddleware(client, { context, asyncContext: true }).');
  }
  return snapshot;
}

/**
 * Attaches `req.flags` (and `res.locals.flags`): the request's snapshot, one entity lookup per request, then
 * synchronous reads. It never fails a request: a lookup that fails or is late gives default values. Options
 * that cannot work throw a `FlagwireConfigError` here, at creation.
 */
export function flagsMiddleware(client: FlagsClient, options: FlagsMiddlewareOptions): RequestHandler {
  checkArguments(client, options);
  const { timeoutMs, asyncContext = false } = options;
  const overridesKey = overridesSecret(options.overrides);
  const logger = options.logger ?? leveledLogger();
  const reportFailure = contextFailureReporter(logger);
  const defaultsAfterFailure = (error: unknown): EvaluationContext => {
    reportFailure(error);
    return {};
  };
  // Served from Express's own request prototype from the start, so a route that reads req.flags without the
  // middleware gets the message saying to mount it even before any request has passed through it.
  if (Object.getPrototypeOf(express.request) === IncomingMessage.prototype) serveFlags(express.request);
  const attachEvaluated = (req: Request, res: Response, next: NextFunction, evaluated: FlagsSnapshot, context: EvaluationContext) => {
    // Exposures (only with the client's onExposures): the request's reads, handed over once the response is done.
    const exposures = client.countsExposures ? client.exposuresOf(evaluated, context) : null;
    const snapshot = exposures?.snapshot ?? evaluated;
    if (exposures) res.once('close', () => void exposures.flush());
    res.locals.flags = snapshot;
    if (!serveFromPrototype(req)) req.flags = snapshot;
    if (asyncContext) storage.run(snapshot, next);
    else next();
  };
  // Only a request carrying the cookie, with a secret configured, leaves the synchronous path to decrypt it.
  const attach = (req: Request, res: Response, next: NextFunction, snapshot: FlagsSnapshot, context: EvaluationContext) => {
    if (overridesKey === null) return attachEvaluated(req, res, next, snapshot, context);
    const cookie = overridesCookieIn(req.headers.cookie);
    if (cookie === undefined) return attachEvaluated(req, res, next, snapshot, context);
    readOverridesCookie(cookie, overridesKey).then(
      (overrides) => attachEvaluated(req, res, next, overrides ? snapshot.withOverrides(overrides) : snapshot, context),
      (error: unknown) => {
        logger.error('flagsMiddleware: the overrides cookie could not be read; serving the evaluated flags', error);
        attachEvaluated(req, res, next, snapshot, context);
      },
    );
  };
  return (req, res, next) => {
    let context: EvaluationContext | Promise<EvaluationContext>;
    try {
      context = options.context(req);
    } catch (error) {
      context = defaultsAfterFailure(error);
    }
    // The common path stays synchronous: a sync context and a client that can answer at once.
    if (!(context instanceof Promise)) {
      const now = client.snapshotNow(context);
      if (now) return attach(req, res, next, now, context);
    }
    Promise.resolve(context)
      .catch(defaultsAfterFailure)
      .then(async (ctx) => ({ ctx, snapshot: await client.snapshot(ctx, { timeoutMs }) }))
      .then(({ ctx, snapshot }) => attach(req, res, next, snapshot, ctx), next);
  };
}

/** `GET` handler returning this request's browser payload (`req.flags.toJSON()`), for SWR revalidation. */
export function flagsEndpoint(): RequestHandler {
  return (req, res) => {
    let flags: FlagsSnapshot | undefined;
    try {
      flags = req.flags;
    } catch {
      // req.flags throws when flagsMiddleware did not run; this endpoint answers that as JSON instead.
      flags = undefined;
    }
    if (!flags) {
      res.status(500).json({ error: 'flagsEndpoint needs flagsMiddleware mounted before it' });
      return;
    }
    res.set('Cache-Control', 'private, no-store').json(flags.toJSON());
  };
}
