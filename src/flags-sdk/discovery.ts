import type { ApiData } from 'flags';
import type { FlagsClient } from '../server';
import { hasExplorerAccess } from './overrides-cookie';
import { getProviderData, type ProviderDataOptions } from './provider-data';

/** What `/.well-known/vercel/flags` answers: 401 without Flags Explorer's proof of access, else the definitions. */
export interface DiscoveryAnswer {
  readonly status: 200 | 401;
  readonly body: ApiData | null;
  readonly headers: Readonly<Record<string, string>>;
}

const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

/**
 * The discovery endpoint's answer, for any framework: Flags Explorer sends `Authorization: Bearer <proof>`, a
 * token only a holder of `FLAGS_SECRET` can make; anything else gets 401 and no definitions. Overrides are
 * written encrypted, so visitors can neither read nor forge them.
 */
export async function discoveryAnswer(client: FlagsClient, authorization: string | null | undefined, secret: string, options: ProviderDataOptions = {}): Promise<DiscoveryAnswer> {
  if (!(await hasExplorerAccess(authorization, secret))) return { status: 401, body: null, headers: HEADERS };
  return { status: 200, body: { ...getProviderData(client, options), overrideEncryptionMode: 'encrypted' }, headers: HEADERS };
}
