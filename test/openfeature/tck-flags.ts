import { readFileSync } from 'node:fs';
import { tckPath } from './tck-runner';

/** The flag set every TCK scenario assumes, as stored (flagd's flag-definition format). */
export function canonicalFlags(): CanonicalFlags {
  return JSON.parse(readFileSync(tckPath('flags/canonical-flags.json'), 'utf8')) as CanonicalFlags;
}

interface CanonicalFlag {
  state: 'ENABLED' | 'DISABLED';
  variants: Record<string, unknown>;
  defaultVariant: string;
  targeting?: unknown;
}

export interface CanonicalFlags {
  flags: Record<string, CanonicalFlag>;
}

/** The uuid the TCK's one targeting rule matches: the only form of targeting the canonical set uses. */
function targetedKey(flagKey: string, targeting: unknown): { key: string; variant: string } {
  const rule = (targeting as { if?: unknown[] })?.if;
  const test = (rule?.[0] as { '=='?: unknown[] } | undefined)?.['=='];
  const variable = (test?.[0] as { var?: unknown } | undefined)?.var;
  if (variable !== 'targetingKey' || typeof test?.[1] !== 'string' || typeof rule?.[1] !== 'string' || rule?.[2] !== null) {
    throw new Error(`canonical flag "${flagKey}": targeting other than "targetingKey == <uuid> ? <variant> : default" is not translated`);
  }
  return { key: test[1], variant: rule[1] };
}

/**
 * The canonical flags as a flagwire flags file. Variants are named variations and the default variant is the
 * default; a DISABLED flag is `enabled: false` (flagwire then serves its default variation: its off value).
 * "The targeting key is this uuid" is how flagwire targets a known user: the user is declared with that key,
 * and a rule names the user.
 */
export function canonicalFlagsFile(canonical: CanonicalFlags = canonicalFlags(), overrides: Record<string, string> = {}) {
  const users: { id: string; keys: { key: string } }[] = [];
  const flags = Object.fromEntries(
    Object.entries(canonical.flags).map(([key, flag]) => {
      const rules = [];
      if (flag.targeting !== undefined) {
        const target = targetedKey(key, flag.targeting);
        const id = `tck-target-${users.length + 1}`;
        users.push({ id, keys: { key: target.key } });
        rules.push({ when: `user.id = ${id}`, value: target.variant });
      }
      const translated = { variations: flag.variants, default: overrides[key] ?? flag.defaultVariant, enabled: flag.state === 'ENABLED', client: true, rules };
      return [key, translated];
    }),
  );
  return { flags, users };
}
