/**
 * Type-level test, checked by `tsc -p test/types` (part of `npm run typecheck`): once an app registers its
 * flags, flag keys are checked everywhere; misspelt keys do not compile.
 */
import { createNextFlags } from '../../src/next/app-router';
import { createPagesFlags } from '../../src/next/pages-router';
import type { Request } from 'express';
import { createFlagsClient, defineFlags, type FlagKey, type FlagValueFor } from '../../src/server/index';
import '../../src/express/index';

const flags = defineFlags({
  'new-editor': { default: false, client: true },
  'bulk-export': { rules: [{ when: 'company.plan = pro' }] },
  headline: { variations: ['control', 'bold', 'question'], default: 'control', rollout: { control: 34, bold: 33, question: 33 } },
  layout: { variations: { narrow: { columns: 1 }, wide: { columns: 2 } }, default: 'narrow' },
  'export-limit': { variations: [10, 100], default: 10 },
});

declare module '../../src/server/index' {
  interface Register {
    flags: typeof flags;
  }
}

const client = createFlagsClient({ flags });

export async function typedKeys(): Promise<void> {
  const key: FlagKey = 'new-editor';
  await client.checkFlag({}, key);
  await client.checkFlag({}, 'bulk-export');
  // @ts-expect-error — not a declared flag
  await client.checkFlag({}, 'new-editr');
  const snapshot = await client.snapshot({});
  snapshot.isEnabled('bulk-export');
  // @ts-expect-error — not a declared flag
  snapshot.isEnabled('bulk-exports');
  // @ts-expect-error — FlagKey is the declared keys only
  const wrong: FlagKey = 'anything';
  void wrong;
}

export async function typedKeysInNext(): Promise<void> {
  const next = createNextFlags({ client, context: (req) => ({ company: { id: req.cookie('org') ?? 'anonymous' } }) });
  const flags = await next.getFlags();
  flags.isEnabled('new-editor');
  // @ts-expect-error — not a declared flag
  flags.isEnabled('new-editr');
  const cached = await next.getCachedFlags({});
  // @ts-expect-error — not a declared flag
  cached.detail('bulk-exports');
  createPagesFlags({ client, context: () => ({}) }).withFlags(async (_ctx, pageFlags) => {
    // @ts-expect-error — not a declared flag
    pageFlags.isEnabled('nope');
    return { props: { editor: pageFlags.isEnabled('new-editor') } };
  });
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}
/** `exactly<T>()(value)` compiles only when the value's type is exactly T. */
const exactly =
  <Expected,>() =>
  <Actual,>(_value: Actual, ..._notExactly: Equal<Actual, Expected> extends true ? [] : [never]): void =>
    undefined;

export async function typedValues(req: Request): Promise<void> {
  // Each registered flag reads as its declared values: a list's items, a named map's values, or boolean.
  assertType<Equal<FlagValueFor<'headline'>, 'control' | 'bold' | 'question'>>();
  assertType<Equal<FlagValueFor<'export-limit'>, 10 | 100>>();
  assertType<Equal<FlagValueFor<'new-editor'>, boolean>>();

  const headline = await client.variation({}, 'headline', 'control');
  exactly<'control' | 'bold' | 'question'>()(headline);
  // @ts-expect-error — not one of the flag's variations
  await client.variation({}, 'headline', 'ctrl');
  // @ts-expect-error — a number is not this flag's type
  await client.variation({}, 'headline', 3);
  const detail = await client.variationDetail({}, 'layout', { columns: 1 });
  exactly<{ readonly columns: 1 } | { readonly columns: 2 }>()(detail.value);

  const snapshot = await client.snapshot({});
  const limit = snapshot.value('export-limit');
  exactly<10 | 100>()(limit);
  const enabled = snapshot.value('new-editor');
  exactly<boolean>()(enabled);

  // Express: req.flags is the same snapshot, with the same types.
  const fromExpress = req.flags.variation('headline', 'control');
  exactly<'control' | 'bold' | 'question'>()(fromExpress);

  // Next: getFlags() likewise.
  const next = createNextFlags({ client, context: () => ({}) });
  const pageFlags = await next.getFlags();
  const layout = pageFlags.value('layout');
  exactly<{ readonly columns: 1 } | { readonly columns: 2 }>()(layout);
}
