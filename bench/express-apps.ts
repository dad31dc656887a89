import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { flagsMiddleware } from '../src/express/index';
import type { FlagsClient } from '../src/server/index';

/** The apps the Express benchmarks compare, and the flags they read: shared by every way of measuring them. */
export const READS = 20;
export const APP_KINDS = ['bare', 'noop', 'flags'] as const;
export type AppKind = (typeof APP_KINDS)[number];

/** A flags file with READS flags of two rules each and 100 companies, written into `dir`. */
export function writeBenchFlags(dir: string): { file: string; keys: string[] } {
  const file = join(dir, 'flagwire.flags.json');
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < READS; i++) flags[`flag-${i}`] = { rules: [{ when: 'company.plan in [pro, enterprise]' }, { when: `company.seats >= ${i * 5}` }] };
  const companies = Array.from({ length: 100 }, (_, i) => ({ keys: { domain: `c${i}.test` }, plan: i % 3 ? 'pro' : 'free', traits: { seats: i } }));
  writeFileSync(file, JSON.stringify({ flags, companies }));
  return { file, keys: Object.keys(flags) };
}

/**
 * - `bare`: Express answering 'ok'.
 * - `noop`: the same plus one middleware that only calls `next()` — Express's own cost for any middleware.
 * - `flags`: the same plus `flagsMiddleware` for one of 100 companies and READS `isEnabled` reads per request.
 */
export function benchApp(kind: AppKind, client: FlagsClient, keys: readonly string[]): express.Express {
  const app = express();
  if (kind === 'noop') app.use((_req, _res, next) => next());
  if (kind === 'flags') {
    let n = 0;
    app.use(flagsMiddleware(client, { context: () => ({ company: { domain: `c${n++ % 100}.test` } }) }));
    app.get('/', (req, res) => {
      let on = 0;
      for (const key of keys) if (req.flags.isEnabled(key as never)) on++;
      res.send(on >= 0 ? 'ok' : 'never');
    });
    return app;
  }
  app.get('/', (_req, res) => res.send('ok'));
  return app;
}
