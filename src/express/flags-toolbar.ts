import express, { type Request, type RequestHandler } from 'express';
import { answerToolbar, developmentOnly, overridesSecret, TOOLBAR_HEADER } from '../flags-sdk';
import type { FlagsClient } from '../server';

export interface FlagsToolbarOptions {
  /**
   * Who may see and switch flags. The default lets anyone in development and nobody in production
   * (`NODE_ENV=production`): there, give a check of your own, e.g. `(req) => req.user?.role === 'staff'`.
   * Anonymous visitors must never pass it: an override changes what the server renders for that browser.
   */
  access?: (req: Request) => boolean | Promise<boolean>;
  /** The secret overrides are encrypted with: the one `flagsMiddleware` reads them with. @default `FLAGS_SECRET` */
  secret?: string;
}

/**
 * The endpoint `<FlagToolbar />` talks to: `app.use('/__flagwire/overrides', flagsToolbarEndpoint(client))`, after
 * `flagsMiddleware` (GET lists `req.flags`, with each flag's options; POST sets or clears this browser's
 * overrides in the encrypted overrides cookie, which `flagsMiddleware` then applies to every request).
 */
export function flagsToolbarEndpoint(client: FlagsClient, options: FlagsToolbarOptions = {}): RequestHandler {
  const secret = overridesSecret(options.secret !== undefined ? { secret: options.secret } : {}, 'secret');
  const access = options.access ?? developmentOnly;
  const readJson = express.json({ limit: '16kb' });
  return (req, res, next) => {
    const answer = async () => {
      const allowed = (await access(req)) === true;
      return answerToolbar(client, secret, allowed, {
        method: req.method,
        secure: req.secure,
        cookieHeader: req.headers.cookie,
        toolbarHeader: req.get(TOOLBAR_HEADER),
        contentType: req.get('content-type'),
        body: () => new Promise((resolve, reject) => readJson(req, res, (error?: unknown) => (error ? reject(error) : resolve(req.body)))),
        snapshot: async () => req.flags,
      });
    };
    answer().then((result) => {
      res.status(result.status).set('Cache-Control', 'private, no-store');
      if (result.setCookie) res.append('Set-Cookie', result.setCookie);
      if (result.body === null) res.end();
      else res.json(result.body);
    }, next);
  };
}
