import { DataStreamClient, type DataStreamClientOptions, type DataStreamSink } from '../../src/sources/datastream/datastream-client';
import { dataStreamUrl } from '../../src/sources/datastream/url';
import { flag } from './builders';
import { DataStreamTestServer } from './datastream-server';
import { recordingLogger } from './flags-files';

/**
 * A DataStream stand-in on its own port and low-level DataStreamClients connected to it, for tests of the
 * connection itself rather than of a flags client. `stop()` closes the clients made, then the stand-in.
 */

/** A sink that keeps nothing: for tests that watch the connection, not the cache. */
export const discardingSink: DataStreamSink = {
  replaceFlags: async () => {},
  putFlag: async () => {},
  deleteFlag: async () => {},
  putEntity: async () => {},
  mergeEntity: async () => false,
  deleteEntity: async () => {},
};

/** The stand-in and a way to connect clients to it. */
export interface FlagStream {
  server: DataStreamTestServer;
  /**
   * Starts a client on the stand-in (the key it accepts, datastream mode, the discarding sink, a recording
   * logger; `options` laid over those) and resolves once its flag set has arrived.
   */
  connect(options?: Partial<DataStreamClientOptions>): Promise<DataStreamClient>;
  /** Closes the clients made here, then the stand-in. */
  stop(): Promise<void>;
}

/** Starts a DataStream stand-in serving a single flag, so that a client's first flag set comes at once. */
export async function startFlagStream({ autoPong = true }: { autoPong?: boolean } = {}): Promise<FlagStream> {
  const server = new DataStreamTestServer();
  server.autoPong = autoPong;
  server.flags = [flag() as never];
  await server.start();
  const clients: DataStreamClient[] = [];
  return {
    server,
    async connect(options = {}) {
      const client = new DataStreamClient({
        url: dataStreamUrl(server.url),
        apiKey: 'sch_test_key',
        connectionMode: 'datastream',
        sink: discardingSink,
        logger: recordingLogger().logger,
        ...options,
      });
      // Remembered before it starts, so a client whose flag set never comes is still closed by stop().
      clients.push(client);
      client.start();
      await client.firstFlags;
      return client;
    },
    async stop() {
      for (const client of clients.splice(0)) client.close();
      await server.stop();
    },
  };
}
