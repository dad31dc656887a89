import { defaultResult } from '../core/default-result';
import type { Backend, PartsHost } from '../core/parts';
import { REASON_FLAG_DEFAULT } from '../core/reasons';
import type { FlagResults } from '../core/results';
import type { CheckFlagOptions, CheckFlagResult, EvaluationContext } from '../core/types';

/** `offline: true`: every flag is its default; nothing is read. */
export class OfflineBackend implements Backend {
  constructor(private readonly host: PartsHost) {
    host.setStatus('ready');
  }

  async whenReady(): Promise<void> {}

  checkNow(_context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult {
    return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_DEFAULT);
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<CheckFlagResult> {
    return this.checkNow(context, key, options);
  }

  resultsNow(): FlagResults {
    return { keys: () => [], result: () => undefined, clientKeys: this.host.options.clientFlags, missingReason: REASON_FLAG_DEFAULT };
  }

  async results(): Promise<FlagResults> {
    return this.resultsNow();
  }

  async close(): Promise<void> {}
}
