import type { EvaluationContext } from 'flagwire/server';
import type { PeerClients } from './clients';
import { featBitStoredUser, featBitUser } from './featbit';
import { COUNTRIES, growthBookAttributes, ON_OFF_FLAGS, requestCountry, type StoredUser, VARIATIONS, WEIGHTS } from './fixtures';

/**
 * Before anything is timed, flagwire and GrowthBook must give the same answers on the bench's inputs, so that a
 * fast wrong answer cannot pass for a fast one. Each check throws, naming the first disagreement.
 */

/** The bench fails, rather than reports, a "headline" share further than this from its weight. */
const MAX_SHARE_DEVIATION_PP = 1.5;

/** A stored user, found by its id, with the request's country when given. */
export function storedUserContext(user: StoredUser, country?: string): EvaluationContext {
  return country === undefined ? { user: { id: user.keys.id } } : { user: { id: user.keys.id }, attributes: { user: { country } } };
}

/** A visitor nobody stored, with a request-time country, as bench/variants.ts evaluates "headline". */
export function visitorContext(key: string, country?: string): EvaluationContext {
  return country === undefined ? { user: { key } } : { user: { key }, attributes: { user: { country } } };
}

/**
 * Every user, with no request-time attribute and with one, gets the same value of each on/off flag from
 * flagwire's `checkFlag`, its `snapshotNow(…).isEnabled`, GrowthBook's `isOn` and FeatBit's `boolVariation`;
 * and each flag is on for some and off for others (a flag that answers one value to all proves nothing).
 * @returns how many answers were compared (one per user, country and flag)
 */
export async function checkOnOffAgree({ flagwire, growthBook, featBit }: PeerClients, users: readonly StoredUser[]): Promise<number> {
  const onCount = new Map<string, number>(ON_OFF_FLAGS.map((flag) => [flag, 0]));
  let compared = 0;
  for (const [i, user] of users.entries()) {
    for (const country of [undefined, requestCountry(i)]) {
      const context = storedUserContext(user, country);
      const attributes = growthBookAttributes(user, country);
      const featBitUserNow = featBitStoredUser(user, country);
      for (const flag of ON_OFF_FLAGS) {
        const checked = await flagwire.checkFlag(context, flag);
        const synchronous = flagwire.snapshotNow(context)?.isEnabled(flag);
        const growthBookOn = growthBook.isOn(flag, { attributes });
        const featBitOn = await featBit.boolVariation(flag, featBitUserNow, !growthBookOn);
        if (checked !== growthBookOn || synchronous !== growthBookOn || featBitOn !== growthBookOn) {
          throw new Error(`flagwire and its peers disagree on ${flag} for ${user.keys.id} (country ${country ?? 'stored'}): checkFlag ${checked}, snapshotNow ${synchronous}, GrowthBook ${growthBookOn}, FeatBit ${featBitOn}`);
        }
        if (checked) onCount.set(flag, (onCount.get(flag) ?? 0) + 1);
        compared++;
      }
    }
  }
  for (const [flag, on] of onCount) if (on === 0 || on === users.length * 2) throw new Error(`${flag} answered ${on === 0 ? 'off' : 'on'} to every user: the bench's users do not exercise it`);
  return compared;
}

export interface HeadlineShares {
  flagwire: Record<string, number>;
  growthBook: Record<string, number>;
  /** Visitors FeatBit's SDK served another variation than flagwire (it buckets as flagwire does: none). */
  featBitDisagreements: number;
}

/** Visitor `i` of the bench: its key, and the country its requests carry. */
export const visitor = (i: number): { key: string; country: string } => ({ key: `visitor-${i}`, country: COUNTRIES[i % COUNTRIES.length] as string });

/**
 * Visitors in DE get `bold` from both, everyone else one of the three variations from each; and over `keys`
 * visitors with no country, each SDK's shares land within 1.5 pp of 34/33/33 (their hashes differ, so their
 * buckets do too, but not their shares). flagwire is asked through `variation()` and `snapshotNow`. FeatBit,
 * which buckets as flagwire does, must serve every visitor flagwire's variation. With their country, visitors
 * also get the same `eu-banner` from all three.
 */
export async function checkHeadlineAgree({ flagwire, growthBook, featBit }: PeerClients, keys: number): Promise<HeadlineShares> {
  const shares: HeadlineShares = { flagwire: { control: 0, bold: 0, question: 0 }, growthBook: { control: 0, bold: 0, question: 0 }, featBitDisagreements: 0 };
  for (let i = 0; i < keys; i++) {
    const { key, country: visitorCountry } = visitor(i);
    for (const country of [undefined, visitorCountry]) {
      const context = visitorContext(key, country);
      const served = await flagwire.variation(context, 'headline', 'fallback');
      const synchronous = flagwire.snapshotNow(context)?.variation('headline', 'fallback');
      const growthBookServed = growthBook.getFeatureValue('headline', 'fallback', { attributes: country === undefined ? { id: key } : { id: key, country } });
      const featBitVisitor = featBitUser(key, country === undefined ? {} : { country });
      if ((await featBit.stringVariation('headline', featBitVisitor, 'fallback')) !== served) shares.featBitDisagreements++;
      const fits = (variation: string | undefined) => (country === 'DE' ? variation === 'bold' : (VARIATIONS as readonly (string | undefined)[]).includes(variation));
      if (served !== synchronous || !fits(served) || !fits(growthBookServed)) {
        throw new Error(`headline for ${key} (${country ?? 'no country'}): flagwire ${served} / ${synchronous}, GrowthBook ${growthBookServed}`);
      }
      if (country !== undefined) {
        const [checked, growthBookOn] = [await flagwire.checkFlag(context, 'eu-banner'), growthBook.isOn('eu-banner', { attributes: { id: key, country } })];
        const featBitOn = await featBit.boolVariation('eu-banner', featBitVisitor, !growthBookOn);
        if (checked !== growthBookOn || featBitOn !== growthBookOn) throw new Error(`flagwire and its peers disagree on eu-banner for ${key} in ${country}: flagwire ${checked}, GrowthBook ${growthBookOn}, FeatBit ${featBitOn}`);
      }
      if (country === undefined) {
        shares.flagwire[served] = (shares.flagwire[served] ?? 0) + 1;
        shares.growthBook[growthBookServed] = (shares.growthBook[growthBookServed] ?? 0) + 1;
      }
    }
  }
  if (shares.featBitDisagreements > 0) throw new Error(`FeatBit's SDK served ${shares.featBitDisagreements} headline answers other than flagwire's`);
  for (const [sdk, counts] of [['flagwire', shares.flagwire], ['GrowthBook', shares.growthBook]] as const) {
    VARIATIONS.forEach((variation, i) => {
      const share = ((counts[variation] ?? 0) / keys) * 100;
      if (Math.abs(share - WEIGHTS[i]!) > MAX_SHARE_DEVIATION_PP) throw new Error(`${sdk} serves ${variation} to ${share.toFixed(2)}% of ${keys} visitors, more than ${MAX_SHARE_DEVIATION_PP} pp from ${WEIGHTS[i]}%`);
    });
  }
  return shares;
}
