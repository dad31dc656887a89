import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import express from 'express';
import { renderToString } from 'react-dom/server';
import { randomBytes } from 'node:crypto';
import { attachLiveChannel, flagsDiscoveryEndpoint, flagsEndpoint, flagsExposuresEndpoint, flagsMiddleware, flagsToolbarEndpoint, flagsWebhook } from 'flagwire/express';
import { FlagProvider } from 'flagwire/react';
import { type EvaluationContext, type Exposure, htmlSafeJson } from 'flagwire/server';
import { App } from './app';
import { createExampleClient, type FeatBitSource, featBitSourceFromEnv } from './flags-client';
import { assignVisitor, visitorOf } from './visitor';

/** Whether pages show the flags toolbar: as the endpoint's default access, in development only. */
const TOOLBAR = process.env.NODE_ENV !== 'production';

const COMPANIES = [
  { domain: 'acme.test', name: 'Acme' },
  { domain: 'globex.test', name: 'Globex' },
  { domain: 'initech.test', name: 'Initech' },
];

/** The company comes from a cookie the switcher sets (a real app would read its session). */
function companyOf(req: IncomingMessage): string {
  const cookie = /(?:^|;\s*)company=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  return COMPANIES.some((c) => c.domain === cookie) ? (cookie as string) : 'acme.test';
}

/**
 * The user is Ada (found by email); `key`, the visitor id, is the user key that percentage rollouts such as
 * the headline experiment are sticky by, so each browser keeps its variation.
 */
function contextOf(req: IncomingMessage): EvaluationContext {
  const visitor = visitorOf(req);
  return { company: { domain: companyOf(req) }, user: visitor ? { key: visitor, email: 'ada@acme.test' } : { email: 'ada@acme.test' } };
}

export interface ExampleOptions {
  port?: number;
  flagsFile?: string;
  /** The Schematic webhook signing secret. @default process.env.FLAGWIRE_WEBHOOK_SECRET; without one the webhook route is off */
  webhookSecret?: string | undefined;
  /** Where the example's own notices go. @default console.log */
  log?: (line: string) => void;
  /** Take flags from this FeatBit server instead of the flags file. @default from FLAGWIRE_FEATBIT_URL and FLAGWIRE_FEATBIT_SECRET; none: the flags file */
  featbit?: FeatBitSource | null;
  /**
   * The key overrides are encrypted with (the toolbar's and Flags Explorer's). @default FLAGS_SECRET, else a
   * throwaway key made at start: overrides then last until the server restarts.
   */
  flagsSecret?: string;
  /** Where exposures go (each flag a visitor was shown, once per page view). @default one line per batch to `log` */
  onExposures?: (exposures: readonly Exposure[]) => void;
}

/** Starts the example: Express, React server rendering, flags from the local file (or FeatBit), live updates. */
export async function startExample({
  port = 3000,
  flagsFile,
  webhookSecret = process.env.FLAGWIRE_WEBHOOK_SECRET,
  log = console.log,
  featbit = featBitSourceFromEnv(),
  flagsSecret = process.env.FLAGS_SECRET ?? randomBytes(32).toString('base64url'),
  onExposures = (exposures) => log(`exposures: ${exposures.map(({ flag, variation, value }) => `${flag}=${variation ?? String(value)}`).join(', ')} (page view ${exposures[0]?.pageView})`),
}: ExampleOptions = {}) {
  // An app sends exposures to its analytics; the example logs them.
  const client = createExampleClient({ flagsFile, featbit, onExposures });
  await client.ready();
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./client.tsx', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    write: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const clientJs = bundle.outputFiles[0]?.text ?? '';

  const app = express();
  // Webhooks first: the endpoint reads the raw body itself. There is no built-in secret to fall back on: anyone
  // who knew it could forge deliveries.
  if (webhookSecret) app.post('/webhooks/schematic', flagsWebhook({ secret: webhookSecret, client }));
  else log('Webhooks are off: set FLAGWIRE_WEBHOOK_SECRET to your Schematic endpoint’s signing secret to enable POST /webhooks/schematic.');
  app.use(assignVisitor());
  app.use(flagsMiddleware(client, { context: contextOf, overrides: { secret: flagsSecret } }));
  // The toolbar's endpoint: anyone in development, nobody in production (a real app passes `access`, e.g. staff).
  app.use('/__flagwire/overrides', flagsToolbarEndpoint(client, { secret: flagsSecret }));
  // Vercel's Flags Explorer, for a team that uses it: only requests proving FLAGS_SECRET get the definitions.
  app.get('/.well-known/vercel/flags', flagsDiscoveryEndpoint(client, { secret: flagsSecret }));
  app.get('/app.js', (_req, res) => res.type('application/javascript').send(clientJs));
  app.get('/favicon.ico', (_req, res) => res.status(204).end());
  app.get('/api/flags', flagsEndpoint());
  // Where the page reports the flags it showed (the provider's `exposures`): counted once per page view.
  app.post('/api/flagwire/exposures', flagsExposuresEndpoint(client, { context: contextOf }));
  app.get('/switch', (req, res) => {
    const company = String(req.query.company ?? '');
    res.cookie('company', company, { sameSite: 'lax' }).redirect('/');
  });
  app.post('/api/export', (req, res) => {
    // The gate is the request's flags: one lookup for the request, synchronous here.
    if (!req.flags.isEnabled('bulk-export')) {
      res.status(403).json({ error: 'bulk export is not enabled for this company' });
      return;
    }
    void client.track({ event: 'exports', company: { domain: companyOf(req) } });
    res.json({ ok: true });
  });
  app.get('/', (req, res) => {
    const company = companyOf(req);
    const flags = req.flags.toJSON();
    const html = renderToString(
      <FlagProvider snapshot={flags}>
        <App company={company} companies={COMPANIES} />
      </FlagProvider>,
    );
    res.type('html').send(
      `<!doctype html><html><head><meta charset="utf-8"><title>flagwire example</title></head><body><div id="root">${html}</div>` +
        `<script>window.__FLAGWIRE__=${htmlSafeJson({ flags, company, companies: COMPANIES, toolbar: TOOLBAR })}</script><script type="module" src="/app.js"></script></body></html>`,
    );
  });

  const server: Server = createServer(app);
  const live = attachLiveChannel(server, client, { context: contextOf });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    client,
    get liveConnections() {
      return live.connections;
    },
    async close() {
      await live.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await client.close();
    },
  };
}
