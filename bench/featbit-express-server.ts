/**
 * One FeatBit Express bench app in a process of its own, for counting under valgrind:
 * `featbit-express-server <kind> <dir> <envSecret> <streamingUri> <eventsUri>`. Bundled to plain JavaScript
 * first, so nothing but the app runs under the instrumentation. Prints its port once its flags are loaded.
 */
import { createServer } from 'node:http';
import { createBenchClient, FEATBIT_APP_KINDS, type FeatBitAppKind, featBitBenchApp } from './featbit-express-apps';

async function main(): Promise<void> {
  const [kind, dir, envSecret, streamingUri, eventsUri] = process.argv.slice(2) as [FeatBitAppKind, string, string, string, string];
  if (!FEATBIT_APP_KINDS.includes(kind) || !dir || !eventsUri) {
    throw new Error(`usage: featbit-express-server <${FEATBIT_APP_KINDS.join('|')}> <dir> <envSecret> <streamingUri> <eventsUri>`);
  }
  const client = createBenchClient(kind, dir, { envSecret, streamingUri, eventsUri });
  if (client && (await client.ready()) !== 'ready') throw new Error(`the ${kind} app's flags did not load`);
  const server = createServer(featBitBenchApp(client));
  server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
  // A normal exit, so valgrind writes its counts.
  process.on('SIGTERM', () => process.exit(0));
}

void main();
