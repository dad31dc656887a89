/**
 * Schematic's DataStream wire entities, as JSON delivers them (snake_case). The engine accepts the camelCase
 * spelling of every field too, as Schematic's engine does; these types name the snake_case form only.
 * Arrays and maps that are missing or `null` count as empty.
 */

export type RuleType =
  | 'global_override'
  | 'company_override'
  | 'plan_entitlement'
  | 'company_override_usage_exceeded'
  | 'plan_entitlement_usage_exceeded'
  | 'standard'
  | 'default';

export type ComparableType = 'bool' | 'date' | 'int' | 'string';
export type TraitEntityType = 'company' | 'user';
export type MetricPeriod = 'all_time' | 'current_day' | 'current_week' | 'current_month';
export type MonthReset = 'first_of_month' | 'billing_cycle';
export type EntitlementValueType = 'boolean' | 'credit' | 'numeric' | 'trait' | 'unknown' | 'unlimited';

/** Condition types the engine knows; any other string is accepted and never matches. */
export type ConditionType =
  | 'company'
  | 'user'
  | 'plan'
  | 'plan_version'
  | 'base_plan'
  | 'billing_product'
  | 'credit'
  | 'metric'
  | 'trait';

/** Operators the engine knows; any other string is accepted and never matches. */
export type Operator = 'eq' | 'ne' | 'gt' | 'lt' | 'gte' | 'lte' | 'is_empty' | 'not_empty';

export interface WireTraitDefinition {
  id: string;
  comparable_type: ComparableType;
  entity_type: TraitEntityType;
}

export interface WireCondition {
  id: string;
  account_id: string;
  environment_id: string;
  condition_type: ConditionType | (string & {});
  operator: Operator | (string & {});
  resource_ids?: string[] | null;
  trait_value: string;
  trait_definition?: WireTraitDefinition | null;
  comparison_trait_definition?: WireTraitDefinition | null;
  event_subtype?: string | null;
  metric_value?: number | null;
  metric_period?: MetricPeriod | null;
  metric_period_month_reset?: MonthReset | null;
  credit_id?: string | null;
  consumption_rate?: number | null;
}

export interface WireConditionGroup {
  conditions?: WireCondition[] | null;
}

export interface WireRule {
  id: string;
  flag_id?: string | null;
  account_id: string;
  environment_id: string;
  rule_type: RuleType;
  name: string;
  priority: number;
  conditions?: WireCondition[] | null;
  condition_groups?: WireConditionGroup[] | null;
  value: boolean;
}

export interface WireFlag {
  id: string;
  account_id: string;
  environment_id: string;
  key: string;
  default_value: boolean;
  rules?: WireRule[] | null;
}

export interface WireTrait {
  trait_definition?: WireTraitDefinition | null;
  value: string;
}

export interface WireCompanyMetric {
  account_id: string;
  environment_id: string;
  company_id: string;
  event_subtype: string;
  period: MetricPeriod;
  month_reset: MonthReset;
  value: number;
  created_at: string;
  valid_until?: string | null;
}

export interface WireWarningTier {
  key: string;
  value: number;
}

export interface WireFeatureEntitlement {
  feature_id: string;
  feature_key: string;
  value_type: EntitlementValueType;
  allocation?: number | null;
  usage?: number | null;
  soft_limit?: number | null;
  event_name?: string | null;
  event_subtype?: string | null;
  metric_period?: MetricPeriod | null;
  month_reset?: MonthReset | null;
  metric_reset_at?: string | null;
  credit_id?: string | null;
  consumption_rate?: number | null;
  credit_total?: number | null;
  credit_used?: number | null;
  credit_remaining?: number | null;
  credit_reserved?: number | null;
  credit_settled?: number | null;
  warning_tiers?: WireWarningTier[] | null;
}

export interface WireSubscription {
  id: string;
  period_start: string;
  period_end: string;
}

export interface WireCompany {
  id: string;
  account_id: string;
  environment_id: string;
  keys?: Record<string, string> | null;
  traits?: WireTrait[] | null;
  base_plan_id?: string | null;
  plan_ids?: string[] | null;
  plan_version_ids?: string[] | null;
  billing_product_ids?: string[] | null;
  metrics?: WireCompanyMetric[] | null;
  credit_balances?: Record<string, number> | null;
  credit_postpaid?: Record<string, { overdraft_limit?: number | null } | null> | null;
  subscription?: WireSubscription | null;
  entitlements?: WireFeatureEntitlement[] | null;
  rules?: WireRule[] | null;
}

export interface WireUser {
  id: string;
  account_id: string;
  environment_id: string;
  keys?: Record<string, string> | null;
  traits?: WireTrait[] | null;
  rules?: WireRule[] | null;
}

/** Preflight options: usage the caller is about to consume, counted as if it had already happened. */
export interface WireCheckOptions {
  usage?: number | null;
  event_usage?: { event_subtype: string; quantity: number } | null;
  credit_cost?: Record<string, number>;
}
