import { ApiBackend } from '../backends/api';
import { InProcessBackend } from '../backends/in-process';
import { OfflineBackend } from '../backends/offline';
import { FeatBitCapture } from '../capture/featbit-capture';
import { noCapture } from '../capture/no-capture';
import { SchematicCapture } from '../capture/schematic-capture';
import type { ClientParts, PartsHost } from '../core/parts';
import { DataStreamSource } from '../sources/datastream/datastream-source';
import { FlagsFileSource } from '../sources/file/file-source';
import { lazySource } from '../sources/lazy-source';
import { ReplicatorSource } from '../sources/redis/replicator-source';
import { ApiWrites, CountingApiWrites } from '../writes/api-writes';
import { noWrites } from '../writes/no-writes';
import { localParts } from './local';

/**
 * The client's parts as Node runs them: every source (the flags file from disk, DataStream and FeatBit over
 * `ws`, Redis written by a replicator), Schematic's API, and offline.
 */
export function nodeParts(host: PartsHost): ClientParts {
  const { options } = host;
  switch (options.mode) {
    case 'offline':
      return { backend: new OfflineBackend(host), capture: noCapture, writes: noWrites };
    case 'api':
      return { backend: new ApiBackend(host), capture: new SchematicCapture(host), writes: new ApiWrites(host) };
    case 'datastream': {
      const capture = new SchematicCapture(host);
      const source = new DataStreamSource(options);
      const fallback = { backend: new ApiBackend(host, { ownsStatus: false }), lookupFailures: true };
      const backend = new InProcessBackend(host, { source, lookup: source, fallback, onCheck: capture.flagCheck });
      return { backend, capture, writes: new CountingApiWrites(host, (body) => source.countTrack(body)) };
    }
    case 'replicator': {
      const capture = new SchematicCapture(host);
      const source = new ReplicatorSource(options);
      const fallback = { backend: new ApiBackend(host, { ownsStatus: false }), lookupFailures: false };
      const backend = new InProcessBackend(host, { source, lookup: source, fallback, onCheck: capture.flagCheck });
      return { backend, capture, writes: new ApiWrites(host) };
    }
    case 'featbit': {
      const featbit = options.featbit;
      if (featbit === null) throw new Error('FeatBit mode needs the featbit options');
      const eventsUri = featbit.eventsUri;
      const capture = eventsUri === null ? null : new FeatBitCapture(host, { ...featbit, eventsUri });
      // FeatBit's evaluator and sync, with the RE2 engine its regex conditions run on, load only in this mode.
      const source = lazySource(async () => new (await import('../sources/featbit/featbit-source')).FeatBitSyncSource(options, featbit, capture?.read ?? null));
      return { backend: new InProcessBackend(host, { source, lookup: null }), capture: capture ?? noCapture, writes: noWrites };
    }
    default:
      return localParts(host, (entities) => new FlagsFileSource({ file: options.flagsFile, watch: options.watch, entities, logger: options.logger }));
  }
}
