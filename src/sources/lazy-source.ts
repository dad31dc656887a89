import { asFlagwireError } from '../core/errors';
import type { FlagSink, FlagSource } from '../core/flag-set';

/**
 * A source whose module is loaded when it starts, not when the client's parts are made: an app imports what
 * every mode could need, and a source's dependencies (FeatBit's RE2 engine, say) cost its cold start only when
 * it is the app's. Starting takes the module's loading longer (a few milliseconds, before any network wait).
 */
export function lazySource(load: () => Promise<FlagSource>): FlagSource {
  let source: FlagSource | null = null;
  let closed = false;
  return {
    start(sink: FlagSink): void {
      void load().then(
        (loaded) => {
          if (closed) return void loaded.close();
          source = loaded;
          loaded.start(sink);
        },
        (error: unknown) => sink.failed(asFlagwireError(error, 'invalid_config', "the source's module could not be loaded (is the package installed whole?): ")),
      );
    },
    async invalidate(change) {
      await source?.invalidate?.(change);
    },
    async close(): Promise<void> {
      closed = true;
      await source?.close();
    },
  };
}
