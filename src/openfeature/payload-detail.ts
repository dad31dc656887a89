import type { FlagValue, SnapshotJSON, VariationDetail } from 'flagwire/server';
import { flagOf } from '../browser/flag-store';
import { sameFamily } from '../browser/values';

/** What the browser's values are: evaluated by the server for this page's session, not here. */
export const REASON_FROM_PAGE = 'Evaluated by the server for this page';
const REASON_NOT_SENT = 'Not in the page payload (unknown, or not a client flag)';

/**
 * A flag of the browser payload as a variation, read the way the server reads one (`FlagsSnapshot.fromJSON`),
 * restated here so the browser bundle carries no server code: its kind is `cached`; a flag the page was not
 * sent is `not_found`, and a value of another type than the default is `wrong_type`.
 */
export function payloadDetail(payload: SnapshotJSON, flagKey: string, defaultValue: FlagValue): VariationDetail {
  const flag = flagOf(payload, flagKey);
  const base = { flagKey, ruleId: null, bucket: null } as const;
  if (flag === undefined) return { ...base, value: defaultValue, variation: null, kind: 'not_found', reason: REASON_NOT_SENT, err: null };
  if (!sameFamily(flag.value, defaultValue)) {
    const err = `flag "${flagKey}" serves ${describe(flag.value)}, not ${describe(defaultValue)} like the default`;
    return { ...base, value: defaultValue, variation: null, kind: 'wrong_type', reason: REASON_FROM_PAGE, err };
  }
  // On/off flags travel without their variation: the value says it, as on the server.
  const variation = flag.variation ?? (typeof flag.value === 'boolean' ? String(flag.value) : null);
  return { ...base, value: flag.value, variation, kind: 'cached', reason: REASON_FROM_PAGE, err: null };
}

/** Keys whose value or variation differs between two payloads, so a change event names only those. */
export function changedKeys(before: SnapshotJSON, after: SnapshotJSON): string[] {
  const keys = new Set([...Object.keys(before.flags), ...Object.keys(after.flags)]);
  return [...keys].filter((key) => {
    const a = flagOf(before, key);
    const b = flagOf(after, key);
    return a?.variation !== b?.variation || JSON.stringify(a?.value) !== JSON.stringify(b?.value);
  });
}

function describe(value: FlagValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
