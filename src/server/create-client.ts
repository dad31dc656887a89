import { FlagsClient } from '../core/client';
import { nodeModes } from '../modes/node-modes';
import { type FlagsClientOptions, resolveOptions } from '../core/options';

/** Creates the client. Options are validated here: a bad one throws `FlagwireConfigError` naming it. */
export function createFlagsClient(options?: FlagsClientOptions): FlagsClient {
  return new FlagsClient(resolveOptions(options), nodeModes);
}
