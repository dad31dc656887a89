import type { WireCompany, WireCompanyMetric, WireUser } from '../../evaluators/schematic/engine';

/**
 * Partial updates, merged as Schematic's SDKs merge them, pure: the cached entity and the partial in, the merged entity out.
 * Maps merge (`keys`, `credit_balances`); metrics are upserted by event, period and month reset; lease
 * balances write their remaining credits into the balances; the listed fields are replaced; anything else is
 * ignored. When balances or metrics changed and the partial brought no entitlements, each entitlement's
 * `credit_remaining` and `usage` follow them. A field or map entry named `__proto__` stays data: it never becomes
 * a prototype.
 */
type Json = Record<string, unknown>;

const COMPANY_REPLACED = [
  'id',
  'account_id',
  'environment_id',
  'base_plan_id',
  'billing_product_ids',
  'plan_ids',
  'plan_version_ids',
  'entitlements',
  'rules',
  'traits',
  'subscription',
] as const;
const USER_REPLACED = ['id', 'account_id', 'environment_id', 'traits', 'rules'] as const;

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A field in either spelling (the cached copy may have been written by Schematic's Node SDK, in camelCase). */
function field(entity: Json, snake: string): unknown {
  return entity[snake] !== undefined ? entity[snake] : entity[camel(snake)];
}

function metricKey(m: Json): string {
  return `${String(field(m, 'event_subtype'))}\u0000${String(field(m, 'period') ?? 'all_time')}\u0000${String(field(m, 'month_reset') ?? 'first_of_month')}`;
}

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Sets a field as an own data property. Plain assignment would run `Object.prototype`'s `__proto__` setter for a
 * field of that name (JSON.parse makes `"__proto__"` an own property), making wire data the object's prototype.
 */
function define(target: Json, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

/** A deep copy of the cached entity with top-level fields in snake_case, the spelling flagwire writes. */
function snakeBase(entity: Json): Json {
  const base: Json = {};
  for (const [name, value] of Object.entries(entity)) define(base, snake(name), structuredClone(value));
  return base;
}

export function mergeCompany(cached: WireCompany, partial: Json): WireCompany {
  const merged = snakeBase(cached as unknown as Json);
  for (const name of COMPANY_REPLACED) {
    if (partial[name] !== undefined) merged[name] = structuredClone(partial[name]);
  }
  if (partial.keys && typeof partial.keys === 'object') merged.keys = { ...(merged.keys as Json), ...(partial.keys as Json) };
  let usageChanged = false;
  if (partial.credit_balances && typeof partial.credit_balances === 'object') {
    merged.credit_balances = { ...(merged.credit_balances as Json), ...(partial.credit_balances as Json) };
    usageChanged = true;
  }
  if (partial.credit_lease_balance && typeof partial.credit_lease_balance === 'object') {
    const balances = { ...(merged.credit_balances as Json) };
    for (const [creditId, lease] of Object.entries(partial.credit_lease_balance as Record<string, Json>)) {
      if (lease && typeof lease.remaining === 'number') define(balances, creditId, lease.remaining);
    }
    merged.credit_balances = balances;
    usageChanged = true;
  }
  if (Array.isArray(partial.metrics)) {
    const metrics = [...((merged.metrics as Json[] | undefined) ?? [])];
    for (const metric of partial.metrics as Json[]) {
      const at = metrics.findIndex((m) => metricKey(m) === metricKey(metric));
      if (at >= 0) metrics[at] = structuredClone(metric);
      else metrics.push(structuredClone(metric));
    }
    merged.metrics = metrics;
    usageChanged = true;
  }
  if (usageChanged && partial.entitlements === undefined) rederiveEntitlements(merged);
  return merged as unknown as WireCompany;
}

/** Entitlement usage follows balances and metrics: `credit_remaining` from the balance, `usage` from the metric. */
function rederiveEntitlements(company: Json): void {
  const entitlements = company.entitlements as Json[] | null | undefined;
  if (!Array.isArray(entitlements)) return;
  const balances = (company.credit_balances as Record<string, number> | undefined) ?? {};
  const metrics = (company.metrics as Json[] | undefined) ?? [];
  company.entitlements = entitlements.map((entitlement) => {
    const next = { ...entitlement };
    const creditId = field(entitlement, 'credit_id');
    // Own balances only: a credit id such as `constructor` must not read Object.prototype.
    if (typeof creditId === 'string' && Object.hasOwn(balances, creditId)) next.credit_remaining = balances[creditId];
    const event = field(entitlement, 'event_name');
    if (typeof event === 'string') {
      const key = metricKey({ event_subtype: event, period: field(entitlement, 'metric_period'), month_reset: field(entitlement, 'month_reset') });
      const metric = metrics.find((m) => metricKey(m) === key) as WireCompanyMetric | undefined;
      if (metric) next.usage = metric.value;
    }
    return next;
  });
}

export function mergeUser(cached: WireUser, partial: Json): WireUser {
  const merged = snakeBase(cached as unknown as Json);
  for (const name of USER_REPLACED) {
    if (partial[name] !== undefined) merged[name] = structuredClone(partial[name]);
  }
  if (partial.keys && typeof partial.keys === 'object') merged.keys = { ...(merged.keys as Json), ...(partial.keys as Json) };
  return merged as unknown as WireUser;
}
