/**
 * `flagwire/testing`: a client whose flags a test sets, for server, route and component tests alike. It is a real
 * `FlagsClient` (no network, no file), so it works behind `flagsMiddleware`, Next's `createNextFlags` and a
 * `FlagProvider` fed its snapshot, and reads as the app's client does:
 *
 * ```ts
 * const flags = createTestClient({ headline: 'bold', 'new-editor': true });
 * flags.set('headline', 'control'); // live: the next read, and the `change` event, see it
 * ```
 *
 * Values are typed by the flags your app registered (`Register`, e.g. the module `flagwire types` writes).
 */
import { InProcessBackend } from '../backends/in-process';
import { noCapture } from '../capture/no-capture';
import { FlagsClient } from '../core/client';
import { type FlagsClientOptions, resolveOptions } from '../core/options';
import type { FlagKey, FlagValueFor } from '../core/types';
import { noWrites } from '../writes/no-writes';
import { TestFlagsSource } from './test-flags-source';

/** Values by flag key: any of the registered flags, each with a value it can serve. */
export type TestFlagValues = { readonly [K in FlagKey]?: FlagValueFor<K> };

/** Options a test client takes: the client's own, less those that pick where flags come from. */
export type TestClientOptions = Pick<FlagsClientOptions, 'logger' | 'flagDefaults' | 'clientFlags' | 'timeoutMs'>;

export class TestFlagsClient extends FlagsClient {
  private readonly testFlags: TestFlagsSource;

  constructor(values: TestFlagValues = {}, options: TestClientOptions = {}) {
    const source = new TestFlagsSource(values as Record<string, FlagValueFor<FlagKey>>);
    // Flags in code, to pick the in-process path; the test source serves them instead.
    super(resolveOptions({ ...options, flags: {} }), (host) => ({ backend: new InProcessBackend(host, { source, lookup: null }), capture: noCapture, writes: noWrites }));
    this.testFlags = source;
  }

  /** Serves `value` for `key` from now on (a new flag, or a new value): `change` is emitted for it. */
  set<K extends FlagKey>(key: K, value: FlagValueFor<K>): void {
    this.testFlags.set(key, value);
  }

  /** Removes a flag: reads answer their defaults again, as for a flag the app's file does not have. */
  remove(key: FlagKey): void {
    this.testFlags.delete(key);
  }
}

/** A client serving `values` to every context until a test changes them with `set`. */
export function createTestClient(values: TestFlagValues = {}, options: TestClientOptions = {}): TestFlagsClient {
  return new TestFlagsClient(values, options);
}
