/**
 * One benchmark app in a process of its own, for measuring under valgrind: `express-server <kind> <dir>`.
 * Bundled to plain JavaScript first, so nothing but the app runs under the instrumentation. Prints its port.
 */
import { createServer } from 'node:http';
import { createFlagsClient } from '../src/server/index';
import { APP_KINDS, type AppKind, benchApp, writeBenchFlags } from './express-apps';

async function main(): Promise<void> {
  const [kind, dir] = process.argv.slice(2) as [AppKind, string];
  if (!APP_KINDS.includes(kind) || !dir) throw new Error(`usage: express-server <${APP_KINDS.join('|')}> <dir>`);
  const { file, keys } = writeBenchFlags(dir);
  const client = createFlagsClient({ flagsFile: file, watch: false, logLevel: 'silent' });
  await client.ready();
  const server = createServer(benchApp(kind, client, keys));
  server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
  // A normal exit, so valgrind writes its counts.
  process.on('SIGTERM', () => process.exit(0));
}

void main();
