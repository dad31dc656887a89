import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flagsEndpoint, flagsMiddleware } from '../../src/express/index';
import { createFlagsClient, type FlagsClient, FlagwireConfigError, FlagwireError } from '../../src/server/index';
import { recordingLogger, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function flagsClient(): Promise<FlagsClient> {
  const files = tempFlagsFile(SAMPLE_FLAGS);
  const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
  cleanups.push(files.cleanup, () => client.close());
  await client.ready();
  return client;
}

async function serve(app: express.Express): Promise<string> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((r) => server.close(r)), () => server.closeAllConnections());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const context = () => ({ company: { domain: 'acme.test' } });

/** The error `create` throws, so tests can assert its class, field and message together. */
function thrown(create: () => unknown): unknown {
  try {
    create();
  } catch (error) {
    return error;
  }
  return undefined;
}

// First in the file: Express's request prototype is shared by every app in the process, and this is the
// case where no request has passed through flagsMiddleware yet.
describe('req.flags without flagsMiddleware', () => {
  it('throws an error saying to mount flagsMiddleware before the route, and flagsEndpoint still answers 500 JSON', async () => {
    const client = await flagsClient();
    const app = express();
    app.get('/too-early', (req, res) => res.json(req.flags.isEnabled('advanced-reports')));
    app.get('/api/flags', flagsEndpoint());
    app.get('/assigned', (req, res) => {
      req.flags = { isEnabled: () => true } as never;
      res.json(req.flags.isEnabled('anything' as never));
    });
    app.use(flagsMiddleware(client, { context }));
    app.get('/with', (req, res) => res.json(req.flags.isEnabled('advanced-reports')));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ name: error.name, isFlagwireError: error instanceof FlagwireError, message: error.message });
    });
    const url = await serve(app);

    for (const round of [1, 2]) {
      const body = await (await fetch(`${url}/too-early`)).json();
      expect(body, `round ${round}`).toEqual({ name: 'FlagwireError', isFlagwireError: true, message: expect.stringContaining('flagsMiddleware(client, { context })') });
      expect(body.message).toMatch(/^\[flagwire\] .*before/);
      const endpoint = await fetch(`${url}/api/flags`);
      expect(endpoint.status).toBe(500);
      expect(await endpoint.json()).toEqual({ error: 'flagsEndpoint needs flagsMiddleware mounted before it' });
      expect(await (await fetch(`${url}/assigned`)).json()).toBe(true);
      // The second round runs after a request has passed through the middleware.
      expect(await (await fetch(`${url}/with`)).json()).toBe(true);
    }
  });
});

describe('flagsMiddleware options', () => {
  it('rejects a client that is not a FlagsClient at creation', async () => {
    for (const client of [undefined, null, {}, { snapshot: 1 }, 'client']) {
      const error = thrown(() => flagsMiddleware(client as never, { context }));
      expect(error, JSON.stringify(client)).toBeInstanceOf(FlagwireConfigError);
      expect((error as FlagwireConfigError).field).toBe('client');
      expect((error as Error).message).toMatch(/^\[flagwire\] .*createFlagsClient/);
    }
  });

  it('rejects options that cannot work at creation, naming the field', async () => {
    const client = await flagsClient();
    const cases: [unknown, string][] = [
      [undefined, 'options'],
      [{}, 'context'],
      [{ context: 'acme' }, 'context'],
      [{ context, timeoutMs: -1 }, 'timeoutMs'],
      [{ context, timeoutMs: Number.NaN }, 'timeoutMs'],
      [{ context, timeoutMs: Number.POSITIVE_INFINITY }, 'timeoutMs'],
      [{ context, timeoutMs: '100' }, 'timeoutMs'],
      [{ context, asyncContext: 'yes' }, 'asyncContext'],
      [{ context, logger: {} }, 'logger'],
      [{ context, timeout: 100 }, 'timeout'],
    ];
    for (const [options, field] of cases) {
      const error = thrown(() => flagsMiddleware(client, options as never));
      expect(error, JSON.stringify(options)).toBeInstanceOf(FlagwireConfigError);
      expect((error as FlagwireConfigError).field, JSON.stringify(options)).toBe(field);
    }
    expect(thrown(() => flagsMiddleware(client, { context, timeout: 100 } as never))).toHaveProperty('message', expect.stringContaining('did you mean "timeoutMs"?'));
    expect(thrown(() => flagsMiddleware(client, { contxt: context } as never))).toHaveProperty('message', expect.stringContaining('did you mean "context"?'));
    expect(() => flagsMiddleware(client, { context, timeoutMs: 0, asyncContext: false, logger: recordingLogger().logger })).not.toThrow();
  });
});

describe('flagsMiddleware when context fails', () => {
  const run = (middleware: express.RequestHandler) =>
    new Promise<unknown>((resolve) => {
      const req = {} as express.Request;
      middleware(req, { locals: {} } as express.Response, () => resolve(req.flags));
    });

  it('logs the first failure, then a count at most every 10 s, and still serves defaults', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = await flagsClient();
    const { lines, logger } = recordingLogger();
    let calls = 0;
    const middleware = flagsMiddleware(client, {
      logger,
      context: () => {
        calls++;
        if (calls % 2 === 0) return Promise.reject(new Error(`session store down (${calls})`));
        throw new Error(`no session (${calls})`);
      },
    });
    const flags = (await run(middleware)) as { isEnabled(key: string): boolean };
    expect(flags.isEnabled('advanced-reports')).toBe(false);
    expect(lines).toEqual([{ level: 'error', message: expect.stringMatching(/context.*no session \(1\)/) }]);
    for (let i = 0; i < 5; i++) await run(middleware);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(10_001);
    await run(middleware);
    expect(lines).toHaveLength(2);
    expect(lines[1]?.message).toMatch(/session store down \(7\)|no session \(7\)/);
    expect(lines[1]?.message).toContain('and 5 more in the last 10 s');
  });

  it('logs through console.error with the [flagwire] prefix when no logger is given', async () => {
    const client = await flagsClient();
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await run(flagsMiddleware(client, { context: async () => Promise.reject(new Error('no session')) }));
    expect(consoleError).toHaveBeenCalledTimes(1);
    expect(String(consoleError.mock.calls[0]?.[0])).toMatch(/^\[flagwire\] .*no session/);
  });
});
