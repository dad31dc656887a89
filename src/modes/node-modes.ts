import { LocalFileSource } from '../sources/file/local-file-source';
import { ApiMode } from './api-mode';
import { DataStreamMode } from './datastream-mode';
import { FeatBitMode } from './featbit-mode';
import { LocalMode } from './local-mode';
import type { Mode, ModeHost } from './mode';
import { OfflineMode } from './offline-mode';
import { ReplicatorMode } from './replicator-mode';

/** Every mode, as Node runs them: the flags file from disk, DataStream and FeatBit over `ws`, the replicator over Redis. */
export function nodeModes(host: ModeHost): Mode {
  switch (host.options.mode) {
    case 'offline':
      return new OfflineMode(host);
    case 'api':
      return new ApiMode(host);
    case 'datastream':
      return new DataStreamMode(host);
    case 'replicator':
      return new ReplicatorMode(host);
    case 'featbit':
      return new FeatBitMode(host);
    default:
      return new LocalMode(host, (handlers) => new LocalFileSource(handlers));
  }
}
