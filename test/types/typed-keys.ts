/**
 * Type-level test, checked by `tsc -p test/types` (part of `npm run typecheck`): once an app registers its
 * flags, flag keys are checked everywhere; misspelt keys do not compile.
 */
import { createNextFlags } from '../../src/next/app-router';
import { createPagesFlags } from '../../src/next/pages-router';
import { createFlagsClient, defineFlags, type FlagKey } from '../../src/server/index';

const flags = defineFlags({
  'new-editor': { default: false, client: true },
  'bulk-export': { rules: [{ when: 'company.plan = pro' }] },
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
