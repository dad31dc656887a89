import type { EntityDetail, TraitValue } from '../core/entity-details';
import { defaultResult } from '../core/default-result';
import { REASON_FLAG_DEFAULT } from '../core/reasons';
import { assertTrackQuantity } from '../capture/events/track-quantity';
import type { CheckFlagResult, TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';
import type { FlagResults, Mode, ModeHost } from './mode';

/** `offline: true`: every flag is its default; nothing is read, sent or stored. */
export class OfflineMode implements Mode {
  readonly name = 'offline' as const;

  constructor(private readonly host: ModeHost) {
    host.setStatus('ready');
  }

  async whenReady(): Promise<void> {}

  checkNow(_context: unknown, key: string, options: Parameters<ModeHost['defaultFor']>[1]): CheckFlagResult {
    return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_DEFAULT);
  }

  async check(context: unknown, key: string, options: Parameters<ModeHost['defaultFor']>[1]): Promise<CheckFlagResult> {
    return this.checkNow(context, key, options);
  }

  resultsNow(): FlagResults {
    return { keys: () => [], result: () => undefined, clientKeys: this.host.options.clientFlags, missingReason: REASON_FLAG_DEFAULT };
  }

  async results(): Promise<FlagResults> {
    return this.resultsNow();
  }

  identify(): void {}

  /** Records nothing, but refuses a quantity every other mode refuses, so a bug shows up offline too. */
  track(body: TrackBody): void {
    assertTrackQuantity(body?.quantity ?? 1);
  }

  async upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return offlineDetail(body);
  }

  async upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return offlineDetail(body);
  }

  async close(): Promise<void> {}
}

/** Offline, an upsert stores nothing: it answers with what it was given, in the shape every mode returns. */
export function offlineDetail(body: UpsertCompanyBody | UpsertUserBody): EntityDetail {
  const traits = Object.fromEntries(Object.entries(body?.traits ?? {}).filter(([, value]) => value !== undefined)) as Record<string, TraitValue>;
  return { id: body?.id ?? '', keys: { ...body?.keys }, name: body?.name ?? null, traits };
}
