/**
 * A child process for the close tests: it starts a FeatBit data sync, closes it at the moment SCENARIO names
 * (or when the parent sends a message, for `on-signal`),
 * prints "closed", and then has nothing left to do — so it exits on its own only if close() left no handles.
 */
import { FeatBitDataSync } from '../../src/sources/featbit/data-sync-client';
import { FeatBitStore } from '../../src/sources/featbit/featbit-store';

const { STREAMING_URL = '', POLLING_URL = '', SECRET = '', SCENARIO = '' } = process.env;
const print = (line: string) => process.stdout.write(`${line}\n`);
let closing: Promise<void> | null = null;
const closeOnce = () => {
  closing ??= sync.close().then(() => void print('closed'));
};
const logger = {
  error: (message: string) => print(`error ${message}`),
  warn: (message: string) => {
    print(`warn ${message}`);
    if (SCENARIO === 'reconnect-pending' && message.includes('retrying in')) closeOnce();
  },
  info: () => {},
  debug: () => {},
};

const sync = new FeatBitDataSync({
  envSecret: SECRET,
  streamingUrl: STREAMING_URL,
  pollingUrl: POLLING_URL || null,
  store: new FeatBitStore(logger),
  logger,
  onChange: () => {},
  onConnectedChange: (connected) => {
    print(`connected ${connected}`);
    if (SCENARIO === 'connected' && connected) closeOnce();
  },
  pingIntervalMs: 5,
  pollIntervalMs: 5,
  reconnectBaseMs: SCENARIO === 'reconnect-pending' ? 120_000 : 5,
});
sync.start();
if (SCENARIO === 'connecting') closeOnce();
// The parent says when (a poll it is holding back is on the wire); the channel goes first, so only the sync can keep the process alive.
if (SCENARIO === 'on-signal') {
  process.once('message', () => {
    process.disconnect();
    closeOnce();
  });
}
