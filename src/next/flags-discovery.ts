import { discoveryAnswer, overridesSecret, type ProviderDataOptions } from '../flags-sdk';
import { type FlagsClient, FlagwireConfigError } from '../server';

export interface FlagsDiscoveryRouteOptions extends ProviderDataOptions {
  /** The secret Flags Explorer proves access with. @default `FLAGS_SECRET` */
  secret?: string;
}

/**
 * The route handler for `app/.well-known/vercel/flags/route.ts`: `export const { GET } = flagsDiscoveryRoute(client)`.
 * It answers the client's flags (keys, descriptions, labelled values) only to a request proving access with the
 * app's `FLAGS_SECRET`, as Flags Explorer sends it; anything else gets 401. Apps declaring flags with the Flags
 * SDK can use its `createFlagsDiscoveryEndpoint` with `getProviderData` from `flagwire/flags-sdk` instead.
 */
export function flagsDiscoveryRoute(client: FlagsClient, options: FlagsDiscoveryRouteOptions = {}) {
  const secret = overridesSecret(options.secret !== undefined ? { secret: options.secret } : {}, 'secret');
  if (secret === null) throw new FlagwireConfigError('secret', 'the discovery route needs FLAGS_SECRET (or { secret }): without it, nothing can prove access');
  return {
    GET: async (request: Request): Promise<Response> => {
      const answer = await discoveryAnswer(client, request.headers.get('authorization'), secret, options);
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
    },
  };
}
