import type { EvaluationResult } from './engine';

/** Who a check is for: the keys that identify a company and a user (any one key is enough). */
export interface EvaluationContext {
  company?: Record<string, string>;
  user?: Record<string, string>;
}

/**
 * Flag keys. Declare your flags once and every `checkFlag`, `req.flags` and `useFlag` call is typed:
 * `declare module 'flagwire/server' { interface Register { flags: typeof flags } }` with
 * `const flags = defineFlags({...})`. Without it, any string is a flag key.
 */
// biome-ignore lint: an empty interface is the augmentation point
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Register {}

export type FlagKey = Register extends { flags: infer F } ? Extract<keyof F, string> : string;

/** A flag default: a value, or a function computing one when it is needed. */
export type FlagDefault = boolean | (() => boolean);

export interface CheckFlagOptions {
  /** The value when the flag cannot be evaluated. @default `flagDefaults[key] ?? false` */
  defaultValue?: FlagDefault;
  /** The longest this check may wait (for the client to be ready). @default the client's `timeoutMs` */
  timeoutMs?: number;
  /** Usage about to be consumed, counted as if already consumed. */
  usage?: number;
  /** Event usage about to be consumed: counted against metric limits on that event. */
  eventUsage?: { eventSubtype: string; quantity: number };
  /** Credits about to be consumed, by credit id. */
  creditCost?: Record<string, number>;
}

/** A check's full outcome: the engine's result, with `flagKey` always set. */
export type CheckFlagResult = EvaluationResult & { readonly flagKey: string };

export type ClientStatus = 'initializing' | 'ready' | 'stale' | 'closed';
export type ClientMode = 'local' | 'api' | 'datastream' | 'replicator' | 'offline';

/** What changed, so caches and live channels know what to refresh. Never carries flag values. */
export type ChangeEvent =
  | { readonly type: 'flags'; readonly keys: readonly string[] }
  | { readonly type: 'company'; readonly id: string; readonly keys: Readonly<Record<string, string>> }
  | { readonly type: 'user'; readonly id: string; readonly keys: Readonly<Record<string, string>> };

/** Body of `identify`, as Schematic's identify event carries it. */
export interface IdentifyBody {
  keys: Record<string, string>;
  name?: string;
  traits?: Record<string, unknown>;
  company?: { keys: Record<string, string>; name?: string; traits?: Record<string, unknown> };
}

/** Body of `track`, as Schematic's track event carries it. */
export interface TrackBody {
  event: string;
  company?: Record<string, string>;
  user?: Record<string, string>;
  /** @default 1 */
  quantity?: number;
  traits?: Record<string, unknown>;
}

/** Event metadata, as Schematic's SDK takes it. */
export interface EventMeta {
  idempotencyKey?: string;
  sentAt?: Date;
  trustedClientClock?: boolean;
  backfill?: boolean;
}

/** Body of `companies.upsertCompany`. */
export interface UpsertCompanyBody {
  keys: Record<string, string>;
  name?: string;
  traits?: Record<string, unknown>;
  id?: string;
}

/** Body of `companies.upsertUser`. */
export interface UpsertUserBody {
  keys: Record<string, string>;
  name?: string;
  traits?: Record<string, unknown>;
  company?: Record<string, string>;
  id?: string;
}
