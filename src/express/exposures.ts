import express, { type Request, type RequestHandler } from 'express';
import type { EvaluationContext, FlagsClient } from '../server';

export interface FlagsExposuresOptions {
  /** Who the request is for: the same function `flagsMiddleware` takes. The browser's body never says who saw what. */
  context(req: Request): EvaluationContext | Promise<EvaluationContext>;
}

/**
 * The endpoint `<FlagProvider exposures="…">` reports to: `app.post('/api/flagwire/exposures',
 * flagsExposuresEndpoint(client, { context }))`. It counts, through `createFlagsClient({ onExposures })`, the flags
 * the browser showed, once per page view (with what the server counted of that page view). Answers 204, or 400
 * with the problem for a body the client refuses; a cross-site request (`Sec-Fetch-Site: cross-site`) or one
 * that is not JSON is refused before it is read.
 */
export function flagsExposuresEndpoint(client: FlagsClient, options: FlagsExposuresOptions): RequestHandler {
  const readJson = express.json({ limit: '16kb' });
  return (req, res, next) => {
    if (req.method !== 'POST') return void res.status(405).set('Allow', 'POST').end();
    if (req.get('sec-fetch-site') === 'cross-site') return void res.status(403).json({ problem: 'exposures are reported by this site’s own pages' });
    if (!req.is('application/json')) return void res.status(415).json({ problem: 'expected application/json' });
    readJson(req, res, (error?: unknown) => {
      if (error) return void res.status(400).json({ problem: 'the body is not JSON within 16 KB' });
      Promise.resolve(options.context(req))
        .catch((): EvaluationContext => ({}))
        .then((context) => client.reportBrowserExposures(req.body, context))
        .then((answer) => {
          if ('problem' in answer) res.status(400).json(answer);
          else res.status(204).end();
        }, next);
    });
  };
}
