import { afterEach, describe, expect, it } from 'vitest';
import { DataStreamClient, type DataStreamSink } from '../../src/server/datastream/datastream-client';
import { dataStreamUrl } from '../../src/server/datastream/url';
import { flag } from '../support/builders';
import { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';

const sink: DataStreamSink = {
  replaceFlags: async () => {},
  putFlag: async () => {},
  deleteFlag: async () => {},
  putEntity: async () => {},
  cachedEntity: async () => null,
  deleteEntity: async () => {},
};

describe('DataStream keepalive', () => {
  let server: DataStreamTestServer;
  let client: DataStreamClient | null = null;
  afterEach(async () => {
    client?.close();
    await server.stop();
  });

  it('drops a connection whose pings go unanswered, and connects again', async () => {
    server = new DataStreamTestServer();
    server.autoPong = false;
    server.flags = [flag() as never];
    await server.start();
    const log = recordingLogger();
    client = new DataStreamClient({
      url: dataStreamUrl(server.url),
      apiKey: 'sch_test_key',
      connectionMode: 'datastream',
      sink,
      logger: log.logger,
      pingIntervalMs: 40,
      pongTimeoutMs: 100,
      reconnectBaseMs: 10,
    });
    client.start();
    await client.firstFlags;
    const deadline = Date.now() + 5000;
    while (server.handshakes.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(server.handshakes.length).toBeGreaterThanOrEqual(2);
    expect(log.lines).toContainEqual({ level: 'warn', message: 'DataStream stopped answering pings; reconnecting' });
  });

  it('keeps a connection whose pings are answered', async () => {
    server = await new DataStreamTestServer().start();
    server.flags = [flag() as never];
    client = new DataStreamClient({ url: dataStreamUrl(server.url), apiKey: 'sch_test_key', connectionMode: 'datastream', sink, logger: recordingLogger().logger, pingIntervalMs: 40, pongTimeoutMs: 100 });
    client.start();
    await client.firstFlags;
    await new Promise((r) => setTimeout(r, 400));
    expect(server.handshakes).toHaveLength(1);
    expect(client.connected).toBe(true);
  });
});
