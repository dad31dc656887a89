import { AsyncLocalStorage } from 'node:async_hooks';
import { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { EvaluationContext, FlagsClient, FlagsSnapshot } from '../server';

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
}

const storage = new AsyncLocalStorage<FlagsSnapshot>();

/** Express's request prototypes whose `flags` reads `res.locals.flags`. */
const servedPrototypes = new WeakSet<object>();

/**
 * Makes `req.flags` a getter reading `res.locals.flags`, on Express's request prototype (the one every app's
 * `app.request` inherits from, so mounted sub-apps see it too). Adding an own property to every request
 * object instead costs V8 a map migration per request (about a tenth of a hello world's work in the callgrind
 * profile). Node's own prototype is never touched; `false` when the request is not an Express one.
 */
function serveFromPrototype(req: Request): boolean {
  let prototype: object | null = Object.getPrototypeOf(req);
  while (prototype !== null && Object.getPrototypeOf(prototype) !== IncomingMessage.prototype) prototype = Object.getPrototypeOf(prototype);
  if (prototype === null) return false;
  if (servedPrototypes.has(prototype)) return true;
  if (!req.res) return false;
  Object.defineProperty(prototype, 'flags', {
    configurable: true,
    get(this: Request) {
      return this.res?.locals.flags;
    },
    // Code that assigns req.flags itself gets an ordinary property, as before.
    set(this: Request, value: FlagsSnapshot) {
      Object.defineProperty(this, 'flags', { value, writable: true, configurable: true, enumerable: true });
    },
  });
  servedPrototypes.add(prototype);
  return true;
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
 * synchronous reads. It never fails a request: a lookup that fails or is late gives default values.
 */
export function flagsMiddleware(client: FlagsClient, options: FlagsMiddlewareOptions): RequestHandler {
  const attach = (req: Request, res: Response, next: NextFunction, snapshot: FlagsSnapshot) => {
    res.locals.flags = snapshot;
    if (!serveFromPrototype(req)) req.flags = snapshot;
    if (options.asyncContext) storage.run(snapshot, next);
    else next();
  };
  return (req, res, next) => {
    let context: EvaluationContext | Promise<EvaluationContext>;
    try {
      context = options.context(req);
    } catch {
      context = {};
    }
    // The common path stays synchronous: a sync context and a client that can answer at once.
    if (!(context instanceof Promise)) {
      const now = client.snapshotNow(context);
      if (now) return attach(req, res, next, now);
    }
    Promise.resolve(context)
      .catch(() => ({}))
      .then((ctx) => client.snapshot(ctx, { timeoutMs: options.timeoutMs }))
      .then((snapshot) => attach(req, res, next, snapshot), next);
  };
}

/** `GET` handler returning this request's browser payload (`req.flags.toJSON()`), for SWR revalidation. */
export function flagsEndpoint(): RequestHandler {
  return (req, res) => {
    if (!req.flags) {
      res.status(500).json({ error: 'flagsEndpoint needs flagsMiddleware mounted before it' });
      return;
    }
    res.set('Cache-Control', 'private, no-store').json(req.flags.toJSON());
  };
}
