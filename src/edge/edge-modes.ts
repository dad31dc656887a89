import { FlagwireConfigError } from '../core/errors';
import { ApiMode } from '../modes/api-mode';
import { LocalMode } from '../modes/local-mode';
import type { Mode, ModeHost } from '../modes/mode';
import { OfflineMode } from '../modes/offline-mode';

/**
 * The modes an edge runtime can run: Schematic's REST API over `fetch`, flags declared in code evaluated
 * in-process, and offline. No file system, no `ws`, no Redis: the flags file, DataStream and the replicator
 * stay on Node.
 */
export function edgeModes(host: ModeHost): Mode {
  switch (host.options.mode) {
    case 'offline':
      return new OfflineMode(host);
    case 'api':
      return new ApiMode(host);
    case 'local':
      if (!host.options.inlineFlags) {
        throw new FlagwireConfigError('flags', 'an edge runtime has no file system: pass the flags themselves (`flags`, e.g. imported JSON), or an apiKey');
      }
      return new LocalMode(host, null);
    case 'featbit':
      throw new FlagwireConfigError('featbit', 'FeatBit mode needs Node (a WebSocket client); on the edge read the visitor’s snapshot from your flags endpoint (snapshotFromEndpoint)');
    default:
      throw new FlagwireConfigError('useDataStream', `${host.options.mode} mode needs Node (a WebSocket client and Redis); on the edge use the REST API (an apiKey) or flags in code`);
  }
}
