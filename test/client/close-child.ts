/**
 * A child process for the close() deadline tests: `await client.close()` is the only work left. With
 * `HANG=1` the client's backend never finishes closing (nothing else keeps the process alive); otherwise it is an
 * API-mode client whose Schematic cannot be reached, with one queued event. It prints each log line, then "closed".
 */
import { FlagsClient } from '../../src/core/client';
import { createFlagsClient } from '../../src/server/index';
import type { ClientParts } from '../../src/core/parts';
import { resolveOptions } from '../../src/core/options';

const { API_URL, CLOSE_TIMEOUT_MS, HANG } = process.env as Record<string, string>;
const print = (level: string) => (message: string) => process.stdout.write(`${level} ${message}\n`);
const logger = { error: print('error'), warn: print('warn'), info: print('info'), debug: print('debug') };

function hangingClient(): FlagsClient {
  const options = resolveOptions({ offline: true, closeTimeoutMs: Number(CLOSE_TIMEOUT_MS), logger });
  const parts = {
    backend: { whenReady: async () => {}, close: () => new Promise<void>(() => {}) },
    capture: { close: async () => {} },
  } as unknown as ClientParts;
  return new FlagsClient(options, () => parts);
}

const client =
  HANG === '1'
    ? hangingClient()
    : createFlagsClient({ apiKey: 'sch_test_key', basePath: API_URL, eventCaptureBaseURL: API_URL, closeTimeoutMs: Number(CLOSE_TIMEOUT_MS), eventRetryInitialDelayMs: 50, logger });
if (HANG !== '1') await client.track({ event: 'exports', company: { domain: 'acme.test' } });
await client.close();
process.stdout.write('closed\n');
