import { ApiBackend } from '../backends/api';
import { OfflineBackend } from '../backends/offline';
import { noCapture } from '../capture/no-capture';
import { SchematicCapture } from '../capture/schematic-capture';
import { FlagwireConfigError } from '../core/errors';
import type { ClientParts, PartsHost } from '../core/parts';
import { ApiWrites } from '../writes/api-writes';
import { noWrites } from '../writes/no-writes';
import { localParts } from './local';

/**
 * The parts an edge runtime can run: Schematic's REST API over `fetch`, flags declared in code evaluated
 * in-process, and offline. No file system, no `ws`, no Redis: the flags file, DataStream, Redis and FeatBit's
 * sync stay on Node.
 */
export function edgeParts(host: PartsHost): ClientParts {
  switch (host.options.mode) {
    case 'offline':
      return { backend: new OfflineBackend(host), capture: noCapture, writes: noWrites };
    case 'api':
      return { backend: new ApiBackend(host), capture: new SchematicCapture(host), writes: new ApiWrites(host) };
    case 'local':
      if (!host.options.inlineFlags) {
        throw new FlagwireConfigError('flags', 'an edge runtime has no file system: pass the flags themselves (`flags`, e.g. imported JSON), or an apiKey');
      }
      return localParts(host, null);
    case 'featbit':
      throw new FlagwireConfigError('featbit', 'FeatBit mode needs Node (a WebSocket client); on the edge read the visitor’s snapshot from your flags endpoint (snapshotFromEndpoint)');
    default:
      throw new FlagwireConfigError('useDataStream', `${host.options.mode} mode needs Node (a WebSocket client and Redis); on the edge use the REST API (an apiKey) or flags in code`);
  }
}
