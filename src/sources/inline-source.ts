import { FlagwireError } from '../core/errors';
import type { FlagSink, FlagSource } from '../core/flag-set';
import type { FlagDeclarations, SegmentDeclarations } from '../flags-file/schema';
import { loadFlagsText } from '../flags-file/load';
import { collectTraitDefinitions } from '../flags-file/changes';
import type { LocalEntities } from '../writes/local-writes';
import { flagSetOf } from './file/flag-set-of';

/**
 * Flags declared in code (the `flags` option): read once, when the client is made, so it is ready at once —
 * on the edge as on Node. Declarations that do not read are reported as a flags file's problems would be.
 */
export class InlineFlagsSource implements FlagSource {
  constructor(
    private readonly declarations: { flags: FlagDeclarations; segments: SegmentDeclarations },
    private readonly entities: LocalEntities,
  ) {}

  start(sink: FlagSink): void {
    try {
      const data = loadFlagsText(JSON.stringify({ flags: this.declarations.flags, segments: this.declarations.segments }), '<flags option>');
      this.entities.useTraitDefinitions(collectTraitDefinitions(data));
      sink.health(true);
      sink.replace(flagSetOf(data));
    } catch (error) {
      sink.failed(error instanceof FlagwireError ? error : new FlagwireError('invalid_flags_file', String((error as Error)?.message ?? error), { cause: error }));
    }
  }

  close(): void {}
}
