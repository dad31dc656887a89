import { createFlagsClient, type FlagsClient, type FlagsClientOptions } from '../../src/server/index';
import { DataStreamTestServer } from './datastream-server';
import { recordingLogger } from './flags-files';
import { SchematicTestServer } from './schematic-server';

/**
 * Loopback stand-ins for Schematic with factories for flags clients pointed at them. A factory sets only
 * what every test needs to reach the stand-in (the key it accepts, its URL for checks and events, a quiet
 * logger); each test passes the rest itself. `stop()` closes the clients made, then the stand-ins.
 */

/** How `stop()` treats the clients still open. */
export interface StopOptions {
  /**
   * Start each client's close without awaiting it: for tests whose subject is close() itself, so that a
   * close that hangs fails its test rather than the teardown.
   */
  abandonClients?: boolean;
}

/** The REST stand-in and a factory for API-mode clients on it. */
export interface SchematicApi {
  api: SchematicTestServer;
  /** An API-mode client on the stand-in; `options` are laid over the defaults. */
  apiClient(options?: FlagsClientOptions): FlagsClient;
  /** Closes the clients made here, then the stand-in. */
  stop(options?: StopOptions): Promise<void>;
}

/** The REST stand-in with the DataStream stand-in on its origin, and factories for clients in either mode. */
export interface SchematicServers extends SchematicApi {
  stream: DataStreamTestServer;
  /** A DataStream-mode client on the stand-ins, with no `dataStream` options unless the test gives them. */
  dataStreamClient(options?: FlagsClientOptions): FlagsClient;
  /** Closes the clients made here, then the DataStream stand-in, then the REST one. */
  stop(options?: StopOptions): Promise<void>;
}

/** Starts the REST stand-in alone, for API-mode tests. */
export async function startSchematicApi(): Promise<SchematicApi> {
  const api = await new SchematicTestServer().start();
  const clients = openClients(api);
  return {
    api,
    apiClient: clients.api,
    async stop(options) {
      await clients.close(options);
      await api.stop();
    },
  };
}

/** Starts the REST stand-in and the DataStream stand-in sharing its origin, as Schematic serves them. */
export async function startSchematicServers(): Promise<SchematicServers> {
  const api = await new SchematicTestServer().start();
  const stream = await new DataStreamTestServer().start(api.httpServer);
  const clients = openClients(api);
  return {
    api,
    stream,
    apiClient: clients.api,
    dataStreamClient: clients.dataStream,
    async stop(options) {
      await clients.close(options);
      await stream.stop();
      await api.stop();
    },
  };
}

/** Client factories on one REST stand-in, remembering what they made so it can be closed. */
function openClients(api: SchematicTestServer) {
  const open: FlagsClient[] = [];
  const make = (options: FlagsClientOptions): FlagsClient => {
    // The stand-in accepts only 'sch_test_key'; the logger records so that client warnings stay out of the test output.
    const client = createFlagsClient({ apiKey: 'sch_test_key', basePath: api.url, eventCaptureBaseURL: api.url, logger: recordingLogger().logger, ...options });
    open.push(client);
    return client;
  };
  return {
    api: (options: FlagsClientOptions = {}) => make(options),
    dataStream: (options: FlagsClientOptions = {}) => make({ useDataStream: true, ...options }),
    async close({ abandonClients = false }: StopOptions = {}): Promise<void> {
      for (const client of open.splice(0)) {
        if (abandonClients) void client.close();
        else await client.close();
      }
    },
  };
}
