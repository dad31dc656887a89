import type { FlagSink, FlagSource } from '../../core/flag-set';
import type { Logger } from '../../core/logger';
import type { FlagsData } from '../../flags-file/flags-data';
import type { LocalEntities } from '../../writes/local-writes';
import { applyFlagsData } from './apply-flags-data';
import { LocalFileSource } from './local-file-source';

/**
 * The flags file on disk as a source: read at start and whenever it changes (see LocalFileSource); each good
 * read seeds its companies and users, then replaces the flags. A read that fails is reported to the sink and
 * the last good flags stay.
 */
export class FlagsFileSource implements FlagSource {
  private reader: LocalFileSource | null = null;
  /** Loads apply one after another: a file's entities must not be seeded over a newer file's. */
  private applying: Promise<void> = Promise.resolve();
  private applied = false;

  constructor(private readonly options: { file: string; watch: boolean; entities: LocalEntities; logger: Logger }) {}

  start(sink: FlagSink): void {
    this.reader = new LocalFileSource({
      file: this.options.file,
      watch: this.options.watch,
      onData: (data) => {
        this.applying = this.applying.then(() => this.apply(data, sink)).catch((error: unknown) => this.options.logger.error('the flags file was read but not applied', error));
      },
      onError: (error) => sink.failed(error),
    });
    void this.reader.start();
  }

  close(): void {
    this.reader?.close();
  }

  private async apply(data: FlagsData, sink: FlagSink): Promise<void> {
    const reload = this.applied;
    this.applied = true;
    await applyFlagsData(data, sink, this.options.entities, reload);
  }
}
