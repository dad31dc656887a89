import type { RequestHandler } from 'express';
import { discoveryAnswer, type OverridesOption, overridesSecret, type ProviderDataOptions } from '../flags-sdk';
import { type FlagsClient, FlagwireConfigError } from '../server';

export interface FlagsDiscoveryOptions extends ProviderDataOptions {
  /** The secret Flags Explorer proves access with. @default `FLAGS_SECRET` */
  secret?: string;
}

/**
 * `GET /.well-known/vercel/flags`: the client's flags for Flags Explorer (keys, descriptions, labelled values),
 * only to a request that proves access with the app's `FLAGS_SECRET`; anything else gets 401. Mount it at that
 * path: `app.get('/.well-known/vercel/flags', flagsDiscoveryEndpoint(client))`.
 */
export function flagsDiscoveryEndpoint(client: FlagsClient, options: FlagsDiscoveryOptions = {}): RequestHandler {
  const secretOption: OverridesOption = options.secret !== undefined ? { secret: options.secret } : {};
  const secret = overridesSecret(secretOption, 'secret');
  if (secret === null) throw new FlagwireConfigError('secret', 'the discovery endpoint needs FLAGS_SECRET (or { secret }): without it, nothing can prove access');
  return (req, res, next) => {
    discoveryAnswer(client, req.get('authorization'), secret, options).then((answer) => {
      res.status(answer.status).set(answer.headers).send(JSON.stringify(answer.body));
    }, next);
  };
}
