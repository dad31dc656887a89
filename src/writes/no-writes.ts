import type { EntityDetail, TraitValue } from '../core/entity-details';
import type { EntityWrites } from '../core/parts';
import type { TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';
import { assertTrackQuantity } from '../capture/events/track-quantity';

/**
 * Nobody keeps companies and users (offline, FeatBit): identify does nothing and an upsert answers with what it
 * was given, in the shape every mode returns. A track's quantity is still checked as every mode checks it, so a
 * bug shows up here too.
 */
export const noWrites: EntityWrites = {
  identify(): void {},
  track(body: TrackBody): void {
    assertTrackQuantity(body?.quantity ?? 1);
  },
  async upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return echoedDetail(body);
  },
  async upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return echoedDetail(body);
  },
};

function echoedDetail(body: UpsertCompanyBody | UpsertUserBody): EntityDetail {
  const traits = Object.fromEntries(Object.entries(body?.traits ?? {}).filter(([, value]) => value !== undefined)) as Record<string, TraitValue>;
  return { id: body?.id ?? '', keys: { ...body?.keys }, name: body?.name ?? null, traits };
}
