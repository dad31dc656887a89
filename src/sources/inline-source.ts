import { asFlagwireError } from '../core/errors';
import type { FlagSink, FlagSource } from '../core/flag-set';
import type { FlagDeclarations, SegmentDeclarations } from '../flags-file/schema';
import type { FlagsData } from '../flags-file/flags-data';
import { readPlainFlagsText } from '../flags-file/read-plain';
import { collectTraitDefinitions } from '../flags-file/changes';
import type { LocalEntities } from '../writes/local-writes';
import { flagSetOf } from './file/flag-set-of';

/**
 * Flags declared in code (the `flags` option): read once, when the client is made, so it is ready at once —
 * on the edge as on Node. Declarations that do not read are reported as a flags file's problems would be, once
 * the full reader has loaded.
 */
export class InlineFlagsSource implements FlagSource {
  private closed = false;

  constructor(
    private readonly declarations: { flags: FlagDeclarations; segments: SegmentDeclarations },
    private readonly entities: LocalEntities,
  ) {}

  start(sink: FlagSink): void {
    let text: string;
    try {
      text = JSON.stringify({ flags: this.declarations.flags, segments: this.declarations.segments });
    } catch (error) {
      return failed(sink, error);
    }
    // Well-formed declarations are read at once. Others wait for the full reader, loaded only for them, which
    // words their problems (or reads what the fast path would not vouch for).
    const plain = readPlainFlagsText(text);
    if (plain !== null) return this.use(() => plain, sink);
    import('../flags-file/load').then(
      ({ loadFlagsText }) => {
        if (!this.closed) this.use(() => loadFlagsText(text, '<flags option>'), sink);
      },
      (error: unknown) => {
        if (!this.closed) failed(sink, error);
      },
    );
  }

  private use(read: () => FlagsData, sink: FlagSink): void {
    try {
      const data = read();
      this.entities.useTraitDefinitions(collectTraitDefinitions(data));
      sink.health(true);
      sink.replace(flagSetOf(data));
    } catch (error) {
      failed(sink, error);
    }
  }

  close(): void {
    this.closed = true;
  }
}

/** Declarations that cannot be read, reported as a flags file's problems are. */
function failed(sink: FlagSink, error: unknown): void {
  sink.failed(asFlagwireError(error, 'invalid_flags_file'));
}
