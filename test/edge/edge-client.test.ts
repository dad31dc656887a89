import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeFlagsClient, defineFlags, FlagwireConfigError, REASON_FLAG_NOT_FOUND, snapshotFromEndpoint } from '../../src/edge/index';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer } from '../support/schematic-server';

const builtEdgeEntry = fileURLToPath(new URL('../../dist/edge.js', import.meta.url));

describe('flagwire/edge: the client on Web APIs only', () => {
  it('bundles for a runtime with no Node built-ins (platform neutral: any node: import fails the build)', async () => {
    const result = await build({ entryPoints: [builtEdgeEntry], bundle: true, platform: 'neutral', format: 'esm', mainFields: ['module', 'main'], write: false, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/from ["']node:|require\(["']node:|from ["']ws["']/);
    expect(code).toContain('snapshotFromEndpoint');
  });

  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('evaluates flags declared in code with the same engine', async () => {
    const client = createEdgeFlagsClient({
      flags: defineFlags({ 'edge-beta': { rules: [{ when: 'company.plan = pro' }] }, 'kill-switch': { default: true } }),
      logger: recordingLogger().logger,
    });
    cleanups.push(() => client.close());
    expect(await client.ready()).toBe('ready');
    expect(await client.checkFlag({}, 'kill-switch')).toBe(true);
    expect(await client.checkFlag({}, 'edge-beta')).toBe(false);
    expect((await client.checkFlagWithEntitlement({}, 'unknown')).reason).toBe(REASON_FLAG_NOT_FOUND);
  });

  it('refuses, at creation, what an edge runtime cannot do', () => {
    expect(() => createEdgeFlagsClient({})).toThrow(FlagwireConfigError);
    expect(() => createEdgeFlagsClient({})).toThrow(/no file system/);
    // JavaScript callers can still pass Node-only options: they are named in the error.
    expect(() => createEdgeFlagsClient({ apiKey: 'sch_key', useDataStream: true } as never)).toThrow(/datastream mode needs Node/);
  });

  describe('REST mode', () => {
    let schematic: SchematicTestServer;
    beforeAll(async () => {
      schematic = await new SchematicTestServer().start();
    });
    afterAll(() => schematic.stop());

    it('checks over the REST API with fetch, one request per snapshot', async () => {
      schematic.flags = { 'edge-beta': { value: true, reason: 'Matched rule' } };
      const client = createEdgeFlagsClient({ apiKey: 'sch_test_key', basePath: schematic.url, logger: recordingLogger().logger });
      cleanups.push(() => client.close());
      const before = schematic.requests.length;
      const snapshot = await client.snapshot({ company: { id: 'acme' } });
      expect(snapshot.isEnabled('edge-beta')).toBe(true);
      expect(snapshot.isEnabled('other')).toBe(false);
      expect(schematic.requests.length - before).toBe(1);
    });
  });
});

describe('snapshotFromEndpoint: the visitor’s flags from the app’s flags endpoint', () => {
  let server: Server;
  let url: string;
  const seen: { cookie?: string; authorization?: string; path?: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ cookie: req.headers.cookie, authorization: req.headers.authorization, path: req.url });
      if (req.url === '/slow') return void setTimeout(() => res.end('{}'), 2000);
      if (req.url === '/broken') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"flags": 1}');
      if (req.url === '/down') return void res.writeHead(503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ v: 1, flags: { beta: { value: true } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const visitor = (path = '/page') => new Request(`${url}${path}`, { headers: { cookie: 'company=acme.test', authorization: 'Bearer t', 'x-other': 'no' } });

  it('forwards the visitor’s cookie and authorization, and reads the payload as a snapshot', async () => {
    const flags = await snapshotFromEndpoint('/api/flags', visitor());
    expect(flags.isEnabled('beta')).toBe(true);
    expect(seen.at(-1)).toEqual({ cookie: 'company=acme.test', authorization: 'Bearer t', path: '/api/flags' });
  });

  it('serves defaults, never throws, when the endpoint is late, down or answers nonsense', async () => {
    const defaults = { flagDefaults: { beta: true }, timeoutMs: 200 };
    for (const path of ['/slow', '/down', '/broken']) {
      const started = Date.now();
      const flags = await snapshotFromEndpoint(path, visitor(), defaults);
      expect(flags.isEnabled('beta'), path).toBe(true);
      expect(flags.isEnabled('other'), path).toBe(false);
      expect(Date.now() - started, path).toBeLessThan(1500);
    }
  });
});
