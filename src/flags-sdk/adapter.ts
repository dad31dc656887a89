import type { Adapter } from 'flags';
import { type EvaluationContext, type FlagKey, type FlagsClient, type FlagsSnapshot, type FlagValue, type FlagValueFor, FlagwireError } from '../server';

/** What `context` may read of a request: the same shape the Next helpers give it, so one function serves both. */
export interface FlagsSdkRequest {
  cookie(name: string): string | undefined;
  header(name: string): string | null;
}

export interface FlagwireAdapterOptions {
  /**
   * Who a request is for, from its cookies and headers: the adapter's `identify`, so every flag declared with it
   * is evaluated for the same company and user. A declaration's own `identify` wins. Without either, flags are
   * evaluated for no company and no user.
   */
  context?: (request: FlagsSdkRequest) => EvaluationContext | Promise<EvaluationContext>;
  /** The longest one lookup may take before a flag serves its default. @default the client's timeoutMs */
  timeoutMs?: number;
  /** Where a flag is edited, as Flags Explorer links it (a URL, or one per key). */
  origin?: string | ((key: string) => string | undefined);
}

/** What `createFlagwireAdapter` returns: call it for each declaration's adapter. */
export interface FlagwireAdapter {
  /**
   * The adapter for one `flag({ key, adapter })` declaration. Naming the key (`flagwire('headline')`) types the
   * declaration by the registered flag (`'control' | 'bold' | 'question'`) and is checked against the
   * declaration's key; without it, the value is any registered flag's.
   */
  <K extends FlagKey = FlagKey>(key?: K): Adapter<FlagValueFor<K>, EvaluationContext>;
  /** The client that serves these flags. */
  readonly client: FlagsClient;
}

/**
 * flagwire as a Flags SDK adapter: `flag({ key: 'headline', adapter: flagwire('headline') })` is served by the
 * client, with its rules, rollouts and request-time attributes. `evaluate()` and `precompute()` of several
 * flags read one snapshot (one lookup), through `bulkDecide`. Flags Explorer's overrides are the Flags SDK's
 * own business here: it reads its cookie before asking the adapter.
 */
export function createFlagwireAdapter(client: FlagsClient, options: FlagwireAdapterOptions = {}): FlagwireAdapter {
  if (typeof client?.snapshot !== 'function') throw new FlagwireError('invalid_config', 'createFlagwireAdapter(client) needs the FlagsClient from createFlagsClient()');
  // One id for every adapter this call makes: the Flags SDK batches flags that share it (and their identify).
  const adapterId = Symbol('flagwire');
  const snapshotFor = (entities: EvaluationContext | undefined): FlagsSnapshot | Promise<FlagsSnapshot> =>
    client.snapshotNow(entities ?? {}) ?? client.snapshot(entities ?? {}, { timeoutMs: options.timeoutMs });
  const context = options.context;
  // One identify for every adapter too: the SDK groups by adapter id and identify function together.
  const identify: Adapter<unknown, EvaluationContext>['identify'] | undefined = context
    ? ({ headers, cookies }) => context({ cookie: (name) => cookies.get(name)?.value, header: (name) => headers.get(name) })
    : undefined;
  const adapter = <K extends FlagKey>(boundKey?: K): Adapter<FlagValueFor<K>, EvaluationContext> => {
    const checkKey = (key: string) => {
      if (boundKey !== undefined && key !== boundKey) {
        throw new FlagwireError('invalid_config', `flag "${key}" was declared with flagwire("${boundKey}"): name the same key in both, or none in the adapter`);
      }
    };
    return {
      adapterId,
      ...(identify ? { identify } : {}),
      ...(options.origin !== undefined ? { origin: options.origin } : {}),
      async decide({ key, entities, defaultValue }) {
        checkKey(key);
        return valueOf(await snapshotFor(entities), key, defaultValue) as FlagValueFor<K>;
      },
      async bulkDecide({ flags, entities }) {
        const snapshot = await snapshotFor(entities);
        const values: Record<string, FlagValueFor<K>> = {};
        for (const { key, defaultValue } of flags) values[key] = valueOf(snapshot, key, defaultValue) as FlagValueFor<K>;
        return values;
      },
    };
  };
  return Object.assign(adapter, { client }) as FlagwireAdapter;
}

/**
 * A flag's value as a declaration asks for it: typed by its `defaultValue` when it has one (a value of another
 * type serves the default, as `variation()` does), else the flag's value or its configured default.
 */
function valueOf(snapshot: FlagsSnapshot, key: string, defaultValue: unknown): FlagValue {
  return defaultValue === undefined ? snapshot.value(key as FlagKey) : snapshot.variation(key as FlagKey, defaultValue as FlagValueFor<FlagKey>);
}
