/**
 * A second OS process for the live channel's crash tests: an HTTP server answering `ok` with the live
 * channel attached. It prints its port as one line; a crash shows as the process exiting.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachLiveChannel } from '../../src/express/index';
import type { FlagsClient } from '../../src/server/index';

// The live channel only subscribes to the client, so a stand-in keeps this process free of flags files.
const client = { subscribe: () => () => {} } as unknown as FlagsClient;
const server = createServer((_req, res) => res.end('ok'));
attachLiveChannel(server, client, {
  context: (req) => {
    if (req.headers['x-throw'] !== undefined) throw new Error('no session');
    return {};
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
