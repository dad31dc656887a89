import { comparisonLimit, metricUsage, type Subjects } from './conditions';
import { parseInteger } from './coerce';
import { compareInstants, daysInMonth, type Instant, parseRfc3339 } from './parse-date';
import type { ParsedCompany, ParsedRule } from './parsed-types';
import { isEntitlementRank } from './rule-order';
import type { MetricPeriod, MonthReset } from './wire-types';

/** How much of a limited feature the company has used, reported when an entitlement rule decides a check. */
export interface UsageFields {
  readonly featureAllocation: number | null;
  readonly featureUsage: number | null;
  readonly featureUsageEvent: string | null;
  readonly featureUsagePeriod: MetricPeriod | null;
  readonly featureUsageResetAt: string | null;
}

export const NO_USAGE: UsageFields = Object.freeze({
  featureAllocation: null,
  featureUsage: null,
  featureUsageEvent: null,
  featureUsagePeriod: null,
  featureUsageResetAt: null,
});

/** Usage is reported on the rule's first metric or trait condition; preflight usage is never included. */
export function usageFields(rule: ParsedRule, subjects: Subjects, nowMs: number): UsageFields {
  const { company } = subjects;
  const condition = rule.usageCondition;
  if (company === null || condition === null || !isEntitlementRank(rule.typeRank)) return NO_USAGE;
  if (condition.conditionType === 'metric') {
    const period = condition.metricPeriod ?? 'all_time';
    return {
      // The reported allocation falls back to the condition's value where the trait holds no integer.
      featureAllocation: comparisonLimit(condition, company) ?? condition.metricValue,
      featureUsage: metricUsage(company, condition),
      featureUsageEvent: condition.eventSubtype,
      featureUsagePeriod: period,
      featureUsageResetAt: resetTime(period, condition.monthReset ?? 'first_of_month', company, nowMs),
    };
  }
  // Usage is the company's, even for a condition on a user trait.
  const traits = company.traits;
  const definition = condition.traitDefinition;
  const used = definition === null ? undefined : traits.coerced(definition.id)?.text;
  const comparison = condition.comparisonTraitDefinition;
  const compared = comparison === null ? undefined : traits.coerced(comparison.id)?.text;
  // As with metrics, the allocation falls back to the condition's own value where the trait holds no integer.
  const allocation = integerOrNull(compared) ?? integerOrNull(condition.traitValue) ?? 0;
  return { ...NO_USAGE, featureAllocation: allocation, featureUsage: integerOrNull(used) ?? 0 };
}

function integerOrNull(text: string | undefined): number | null {
  return text === undefined ? null : parseInteger(text);
}

const DAY_MS = 86_400_000;

/** When a metric period next resets, in UTC, formatted as Schematic's engine formats it. */
export function resetTime(period: MetricPeriod, monthReset: MonthReset, company: ParsedCompany, nowMs: number): string | null {
  const now = new Date(nowMs);
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (period) {
    case 'current_day':
      return formatInstant(fromMs(midnight + DAY_MS));
    case 'current_week':
      // The week resets at the start of Sunday; on a Sunday, the next one.
      return formatInstant(fromMs(midnight + (7 - now.getUTCDay()) * DAY_MS));
    case 'current_month': {
      if (monthReset === 'first_of_month') return formatInstant(fromMs(firstOfNextMonth(now)));
      const reset = billingCycleReset(company, nowMs);
      return reset === null ? null : formatInstant(reset);
    }
    default:
      return null;
  }
}

function fromMs(ms: number): Instant {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

function firstOfNextMonth(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
}

function earlier(a: Instant, b: Instant): Instant {
  return compareInstants(a, b) <= 0 ? a : b;
}

/**
 * The subscription's monthly anniversary: its start's day (clamped to the month's length) and time, this
 * month or next once passed; never past the period's end; a start still ahead caps it at the 1st of next
 * month. Without a subscription, the 1st of next month; with dates that are not RFC 3339, none.
 */
function billingCycleReset(company: ParsedCompany, nowMs: number): Instant | null {
  const now = new Date(nowMs);
  const nextMonth = fromMs(firstOfNextMonth(now));
  const subscription = company.subscription;
  if (subscription === null) return nextMonth;
  const start = parseRfc3339(subscription.periodStart);
  const end = parseRfc3339(subscription.periodEnd);
  if (start === null || end === null) return null;
  const nowInstant = fromMs(nowMs);
  if (compareInstants(start, nowInstant) > 0) return earlier(start, nextMonth);
  const startDate = new Date(start.seconds * 1000);
  const anniversary = (year: number, month: number): Instant => {
    const day = Math.min(startDate.getUTCDate(), daysInMonth(year, month + 1));
    const ms = Date.UTC(year, month, day, startDate.getUTCHours(), startDate.getUTCMinutes(), startDate.getUTCSeconds());
    return { seconds: ms / 1000, nanos: start.nanos };
  };
  let reset = anniversary(now.getUTCFullYear(), now.getUTCMonth());
  if (compareInstants(reset, nowInstant) <= 0) {
    const next = new Date(firstOfNextMonth(now));
    reset = anniversary(next.getUTCFullYear(), next.getUTCMonth());
  }
  return earlier(reset, end);
}

/** RFC 3339 in UTC with `+00:00`, fractions in groups of three digits and only when non-zero. */
function formatInstant(instant: Instant): string {
  const base = new Date(instant.seconds * 1000).toISOString().slice(0, 19);
  const { nanos } = instant;
  if (nanos === 0) return `${base}+00:00`;
  const digits = String(nanos).padStart(9, '0');
  const fraction = nanos % 1_000_000 === 0 ? digits.slice(0, 3) : nanos % 1000 === 0 ? digits.slice(0, 6) : digits;
  return `${base}.${fraction}+00:00`;
}
