/**
 * Type-level test against the built declarations (`tsc -p test/types/package`, part of `npm run typecheck`):
 * one `Register` augmentation of flagwire/server types flag keys in every entry — server, Express, Next and
 * the React hooks, whose declarations are built separately.
 */
import type { Request } from 'express';
import { createFlagsClient, defineFlags, type FlagKey } from 'flagwire/server';
import { flagsMiddleware } from 'flagwire/express';
import { createPagesFlags } from 'flagwire/next/pages';
import { TestFlagProvider, useEntitlement, useFlag, useFlagDetail } from 'flagwire/react';

const flags = defineFlags({
  'new-editor': { default: false, client: true },
  'bulk-export': { rules: [{ when: 'company.plan = pro' }] },
  headline: { client: true, variations: ['control', 'bold'], default: 'control' },
  'page-size': { client: true, variations: [10, 25], default: 10 },
});

declare module 'flagwire/server' {
  interface Register {
    flags: typeof flags;
  }
}

const client = createFlagsClient({ flags });

export async function serverKeys(): Promise<void> {
  await client.checkFlag({}, 'bulk-export');
  // @ts-expect-error — not a declared flag
  await client.checkFlag({}, 'bulk-exprot');
  const key: FlagKey = 'new-editor';
  void key;
}

export function expressKeys(req: Request): void {
  void flagsMiddleware(client, { context: () => ({}) });
  req.flags.isEnabled('new-editor');
  // @ts-expect-error — not a declared flag
  req.flags.isEnabled('new-editr');
}

export function pagesKeys(): void {
  createPagesFlags({ client, context: () => ({}) }).withFlags(async (_ctx, pageFlags) => {
    // @ts-expect-error — not a declared flag
    pageFlags.isEnabled('nope');
    return { props: { editor: pageFlags.isEnabled('new-editor') } };
  });
}

export function Hooks() {
  const editor: boolean = useFlag('new-editor');
  // @ts-expect-error — not a declared flag
  useFlag('new-editr');
  const exports = useEntitlement('bulk-export');
  // @ts-expect-error — not a declared flag
  useEntitlement('bulk-exports');
  // @ts-expect-error — not a declared flag
  useFlagDetail('editor');
  return (
    <TestFlagProvider flags={{ 'new-editor': true }}>
      {editor && exports?.exceeded ? 'limit reached' : null}
    </TestFlagProvider>
  );
}
