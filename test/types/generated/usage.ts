/**
 * Type-level test against the built declarations (`tsc -p test/types/generated`, part of `npm run typecheck`):
 * the module `flagwire types` wrote from flagwire.flags.json types every key and value, with no `defineFlags`.
 */
import { createFlagsClient, type FlagKey, type FlagValueFor } from 'flagwire/server';
import { createTestClient } from 'flagwire/testing';

/** `true` only when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const exactly =
  <Expected,>() =>
  <Actual,>(_value: Actual, ..._notExactly: Equal<Actual, Expected> extends true ? [] : [never]): void =>
    undefined;

const client = createFlagsClient({ flagsFile: 'flagwire.flags.json' });

export async function generatedTypes(): Promise<void> {
  exactly<'new-editor' | 'headline' | 'layout' | 'page-size' | 'beta.checkout'>()(null as unknown as FlagKey);
  exactly<boolean>()(await client.checkFlag({}, 'new-editor'));
  // @ts-expect-error — not a flag of the file
  await client.checkFlag({}, 'new-editr');
  exactly<'control' | 'bold' | 'question'>()(await client.variation({}, 'headline', 'control'));
  // @ts-expect-error — not one of the file's variations
  await client.variation({}, 'headline', 'loud');
  exactly<10 | 25 | 100>()(await client.variation({}, 'page-size', 25));
  exactly<boolean>()(null as unknown as FlagValueFor<'beta.checkout'>);
  const layout = await client.variation({}, 'layout', { columns: 1, gutter: null });
  exactly<{ readonly columns: 1; readonly gutter: null } | { readonly columns: 2; readonly gutter: readonly [8, 16] }>()(layout);
  const snapshot = await client.snapshot({});
  snapshot.isEnabled('new-editor');
  // @ts-expect-error — not a flag of the file
  snapshot.isEnabled('layouts');
}

export function testClientTypes(): void {
  // flagwire/testing takes the same registered keys and values.
  const test = createTestClient({ headline: 'bold', 'page-size': 100 });
  test.set('new-editor', true);
  test.set('layout', { columns: 2, gutter: [8, 16] });
  // @ts-expect-error — not one of the headline's variations
  createTestClient({ headline: 'loud' });
  // @ts-expect-error — not a flag of the file
  createTestClient({ headlines: 'bold' });
  // @ts-expect-error — not one of the page sizes
  test.set('page-size', 12);
}
