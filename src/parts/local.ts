import { InProcessBackend } from '../backends/in-process';
import { noCapture } from '../capture/no-capture';
import { FlagwireConfigError } from '../core/errors';
import type { FlagSource } from '../core/flag-set';
import type { ClientParts, PartsHost } from '../core/parts';
import { InlineFlagsSource } from '../sources/inline-source';
import { LocalEntities } from '../writes/local-writes';

/** The embedded default: flags from a file (or in code), companies and users in memory. */
export function localParts(host: PartsHost, fileSource: ((entities: LocalEntities) => FlagSource) | null): ClientParts {
  const { options } = host;
  const entities = new LocalEntities(host);
  const inline = options.inlineFlags;
  const source = inline ? new InlineFlagsSource({ flags: inline, segments: options.inlineSegments }, entities) : fileSource?.(entities);
  if (!source) throw new FlagwireConfigError('flags', 'this runtime has no file system: pass the flags themselves (`flags`, e.g. imported JSON), or an apiKey');
  return { backend: new InProcessBackend(host, { source, lookup: entities }), capture: noCapture, writes: entities };
}
