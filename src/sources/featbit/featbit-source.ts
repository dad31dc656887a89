import type { FlagSink, FlagSource } from '../../core/flag-set';
import type { ResolvedOptions } from '../../core/options';
import { FeatBitFlagSet, type FeatBitReadListener } from '../../evaluators/featbit/featbit-flags';
import { FeatBitDataSync } from './data-sync-client';
import type { ResolvedFeatBitOptions } from './featbit-options';
import { FeatBitStore } from './featbit-store';
import { readSyncMessage } from '../../evaluators/featbit/envelope';

/**
 * FeatBit as a source: flags and segments synced from a FeatBit server over its data-sync WebSocket (polling
 * while the socket is down), or a bootstrap envelope when offline. Each committed frame delivers the store's
 * snapshot as a FeatBit flag set; the connection says whether it is healthy.
 */
export class FeatBitSyncSource implements FlagSource {
  private readonly store: FeatBitStore;
  private sync: FeatBitDataSync | null = null;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly featbit: ResolvedFeatBitOptions,
    private readonly onRead: FeatBitReadListener | null,
  ) {
    this.store = new FeatBitStore(options.logger);
  }

  start(sink: FlagSink): void {
    const { featbit, options } = this;
    if (featbit.bootstrap !== null) this.applyBootstrap(featbit.bootstrap, sink);
    if (featbit.offline) {
      sink.health(true);
      if (!this.store.initialized) this.deliver(sink);
    }
    if (featbit.offline || featbit.streamingUri === null) return;
    this.sync = new FeatBitDataSync({
      envSecret: featbit.envSecret,
      streamingUrl: featbit.streamingUri,
      pollingUrl: featbit.pollingUri,
      fetch: options.fetch,
      store: this.store,
      logger: options.logger,
      maxFrameBytes: featbit.maxFrameBytes,
      maxFrameRows: featbit.maxFrameRows,
      onChange: () => this.deliver(sink),
      onConnectedChange: (connected) => {
        if (connected) this.deliver(sink);
        sink.health(connected);
      },
    });
    this.sync.start();
  }

  async close(): Promise<void> {
    await this.sync?.close();
  }

  private deliver(sink: FlagSink): void {
    sink.replace(new FeatBitFlagSet({ ...this.store.snapshot(), onRead: this.onRead }));
  }

  private applyBootstrap(bootstrap: unknown, sink: FlagSink): void {
    const envelope = readSyncMessage(bootstrap);
    if (envelope.kind === 'ignored') {
      this.options.logger.error(`featbit.bootstrap was not applied: ${envelope.reason}`);
      return;
    }
    this.store.applyFull(envelope.flags, envelope.segments);
    sink.health(true);
    this.deliver(sink);
  }
}
