import { FlagsClient } from '../core/client';
import { nodeParts } from '../parts/node';
import { type FlagsClientOptions, resolveOptions } from '../core/options';

/** Creates the client. Options are validated here: a bad one throws `FlagwireConfigError` naming it. */
export function createFlagsClient(options?: FlagsClientOptions): FlagsClient {
  return new FlagsClient(resolveOptions(options), nodeParts);
}
