import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';

/** The cookie that keeps a browser's visitor id: the user key experiments are sticky by. */
export const VISITOR_COOKIE = 'visitor';
// Ids this server could have assigned (and test ids): anything else is replaced, not trusted as a key.
const VISITOR_ID = /^[\w-]{8,64}$/;
const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** The request's visitor id, if it carries a valid one. */
export function visitorOf(req: IncomingMessage): string | undefined {
  const value = new RegExp(`(?:^|;\\s*)${VISITOR_COOKIE}=([^;]+)`).exec(req.headers.cookie ?? '')?.[1];
  return value !== undefined && VISITOR_ID.test(value) ? value : undefined;
}

/**
 * Gives a first visit its visitor id: a lasting cookie for the browser, and the same cookie on this request,
 * so that its flags (and the HTML rendered from them) are already this visitor's. Mount before
 * `flagsMiddleware`.
 */
export function assignVisitor(): RequestHandler {
  return (req, res, next) => {
    if (visitorOf(req) === undefined) {
      const visitor = randomUUID();
      res.cookie(VISITOR_COOKIE, visitor, { maxAge: ONE_YEAR_MS, httpOnly: true, sameSite: 'lax', path: '/' });
      // First in the header, so it wins over an invalid visitor cookie the browser sent.
      req.headers.cookie = `${VISITOR_COOKIE}=${visitor}${req.headers.cookie ? `; ${req.headers.cookie}` : ''}`;
    }
    next();
  };
}
