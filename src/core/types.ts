import type { EvaluationResult } from '../evaluators/schematic/engine';
import type { FlagValue } from './values';

/** Who a check is for: the keys that identify a company and a user (any one key is enough). */
export interface EvaluationContext {
  company?: Record<string, string>;
  user?: Record<string, string>;
  /**
   * Usage about to be consumed, as Schematic's SDK takes it on the context of a single check. The same fields
   * given in the check's options win (`usage`/`eventUsage` together, `creditCost` alone). Snapshots ignore it.
   */
  preflight?: PreflightOptions;
  /**
   * Request-time attributes (country, device, path…) that conditions read like traits: `user.country = DE`
   * reads `attributes.user.country` first, then the stored user's trait. They change no company or user, and
   * `company`/`user` keep their meaning (the keys that find the stored entities). Read by local evaluation
   * (the flags file); Schematic's API and DataStream evaluate stored traits only.
   */
  attributes?: { user?: Readonly<Record<string, AttributeValue>>; company?: Readonly<Record<string, AttributeValue>> };
}

export type AttributeValue = string | number | boolean;

/** "Would this action be allowed?": usage counted as if already consumed (Schematic's `PreflightRequestBody`). */
export interface PreflightOptions {
  /** Usage about to be consumed, counted against any numeric condition. */
  usage?: number;
  /** Event usage about to be consumed: counted against metric limits on that event. */
  eventUsage?: { eventSubtype: string; quantity: number };
  /** Credits about to be consumed, by credit id. */
  creditCost?: Record<string, number>;
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

/** The value a flag declaration serves: its variations' values, or a boolean for an on/off flag. */
export type DeclaredValue<D> = D extends { variations: readonly (infer V)[] }
  ? V
  : D extends { variations: Readonly<Record<string, infer V>> }
    ? V
    : boolean;

/** The value of flag `K`: from its registered declaration, or any flag value when flags are not registered. */
export type FlagValueFor<K extends string> = Register extends { flags: infer F } ? (K extends keyof F ? DeclaredValue<F[K]> : FlagValue) : FlagValue;

/** A literal default widened to its type (`'a'` → string), so an unregistered flag's read is typed by its default. */
export type Widened<D> = D extends boolean ? boolean : D extends string ? string : D extends number ? number : D;

/** What `variation(key, defaultValue)` returns: the registered flag's type, else the default's type. */
export type VariationOf<K extends string, D> = FlagValue extends FlagValueFor<K> ? Widened<D> : FlagValueFor<K>;


/** A flag default: a value, or a function computing one when it is needed. */
export type FlagDefault = boolean | (() => boolean);

export interface CheckFlagOptions extends PreflightOptions {
  /** The value when the flag cannot be evaluated. @default `flagDefaults[key] ?? false` */
  defaultValue?: FlagDefault;
  /** The longest this check may wait (for the client to be ready). @default the client's `timeoutMs` */
  timeoutMs?: number;
}

/** A check's full outcome: the engine's result, with `flagKey` always set. */
export type CheckFlagResult = EvaluationResult & { readonly flagKey: string };

/**
 * One item of `checkFlags()`: the check's outcome, also under the names Schematic's SDK gives its items
 * (`CheckFlagResponseData`): the flag's key as `flag`, and any error as `error`.
 */
export type CheckFlagsItem = CheckFlagResult & { readonly flag: string; readonly error?: string };

/**
 * What `companies.upsertCompany` and `upsertUser` resolve to, shaped as Schematic's SDK answers them
 * (`UpsertCompanyResponse`): the company or user under `data`, and the request's parameters under `params`.
 */
export interface UpsertResponse<T> {
  readonly data: T;
  readonly params: Readonly<Record<string, unknown>>;
}

export type ClientStatus = 'initializing' | 'ready' | 'stale' | 'closed';
export type ClientMode = 'local' | 'api' | 'datastream' | 'replicator' | 'featbit' | 'offline';

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

/** Body of `track`, as Schematic's track event carries it (sent in snake_case; unknown fields are left out). */
export interface TrackBody {
  event: string;
  company?: Record<string, string>;
  user?: Record<string, string>;
  /** @default 1 */
  quantity?: number;
  traits?: Record<string, unknown>;
  /** The credit lease this event redeems against (`lease_id`). */
  leaseId?: string;
  /** The credit reservation this event settles (`reservation_id`); `leaseId` wins when both are set. */
  reservationId?: string;
}

/** Event metadata, as Schematic's SDK takes it. */
export interface EventMeta {
  idempotencyKey?: string;
  sentAt?: Date;
  trustedClientClock?: boolean;
  backfill?: boolean;
}

/**
 * Body of `companies.upsertCompany`, as Schematic's SDK takes it. Sent in snake_case (`base_plan_id`, …);
 * fields the API does not know are left out. Local and offline modes use `keys`, `name`, `traits` and `id`.
 */
export interface UpsertCompanyBody {
  keys: Record<string, string>;
  name?: string;
  traits?: Record<string, unknown>;
  /** The company's Schematic id, when known, instead of its keys. */
  id?: string;
  /** The base plan to assign when the company is created (`plan_…`). */
  basePlanId?: string;
  /** The price to provision for `basePlanId` (`bilpp_…`). */
  basePlanPriceId?: string;
  lastSeenAt?: Date;
  preventKeyRemap?: boolean;
  /** Names of keys to remove from the company. */
  removeKeys?: string[];
  /** Update an existing company only; never create one. */
  updateOnly?: boolean;
}

/**
 * Body of `companies.upsertUser`, as Schematic's SDK takes it. Sent in snake_case (`company_id`, …);
 * fields the API does not know are left out. Local and offline modes use `keys`, `name`, `traits` and `id`.
 */
export interface UpsertUserBody {
  keys: Record<string, string>;
  name?: string;
  traits?: Record<string, unknown>;
  /** Adds the user to this company (by its keys); wins over `companies`. */
  company?: Record<string, string>;
  /** Every company of the user, by keys. */
  companies?: Record<string, string>[];
  /** Adds the user to this company (by Schematic id); wins over `companyIds`. */
  companyId?: string;
  /** Every company of the user, by Schematic id. */
  companyIds?: string[];
  /** The user's Schematic id, when known, instead of its keys. */
  id?: string;
  lastSeenAt?: Date;
  /** Names of keys to remove from the user. */
  removeKeys?: string[];
  /** Update an existing user only; never create one. */
  updateOnly?: boolean;
}
