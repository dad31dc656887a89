import { FeatBitDataSync } from '../src/sources/featbit/data-sync-client';
import { FeatBitStore } from '../src/sources/featbit/featbit-store';
import { featBitFlag } from '../test/support/featbit-builders';
import { FeatBitTestServer } from '../test/support/featbit-server';

/**
 * What one hostile FeatBit frame costs the process: a patch of a million rows that do not parse, pushed over
 * the data-sync socket. Reports the longest event-loop stall while it is handled and the log lines it causes,
 * beside the time JSON.parse alone takes on the same text in the same run (refusing the frame cannot cost
 * less than reading it).
 */
const ROWS = 1_000_000;
const TICK_MS = 5;
const QUIET_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function featbitBigFrameBench(rows = ROWS): Promise<string> {
  const server = await new FeatBitTestServer().start();
  server.setAll({ flags: [featBitFlag({ key: 'a', updatedAt: '2025-01-01T00:00:00.000Z' })] });
  let lines = 0;
  let lastLineAt = 0;
  const record = (message: string) => {
    lines += message.split('\n').length;
    lastLineAt = performance.now();
  };
  const logger = { error: record, warn: record, info: () => {}, debug: () => {} };
  const store = new FeatBitStore(logger);
  let synced = false;
  const sync = new FeatBitDataSync({ envSecret: server.secret, streamingUrl: server.url, pollingUrl: null, store, logger, onChange: () => (synced = true) });
  sync.start();
  while (!synced) await sleep(10);

  const frame = JSON.stringify({ messageType: 'data-sync', data: { eventType: 'patch', featureFlags: Array.from({ length: rows }, (_, i) => ({ key: `k${i}` })), segments: [] } });
  const parseStarted = performance.now();
  JSON.parse(frame);
  const parseMs = performance.now() - parseStarted;

  let stallMs = 0;
  let previous = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - previous);
    previous = now;
  }, TICK_MS);
  lines = 0;
  const sentAt = performance.now();
  server.sendRaw(frame);
  // Handled once nothing more has been logged for a while (the frame may log nothing at all).
  while (performance.now() - Math.max(lastLineAt, sentAt) < QUIET_MS) await sleep(50);
  clearInterval(ticker);
  const kept = store.flag('a') !== undefined;
  await sync.close();
  await server.stop();
  return [
    '## FeatBit: one hostile data-sync frame',
    '',
    `A patch of ${rows.toLocaleString('en')} rows that do not parse (${(frame.length / 1e6).toFixed(1)} MB), pushed on the socket.`,
    '',
    '| longest event-loop stall | JSON.parse alone, same text | log lines | flags held kept |',
    '|---|---|---|---|',
    `| ${stallMs.toFixed(0)} ms | ${parseMs.toFixed(0)} ms | ${lines} | ${kept ? 'yes' : 'no'} |`,
  ].join('\n');
}
