import { describe, expect, it } from 'vitest';
import { company, condition, flag, metric, rule, traitCondition, traitDefinition } from '../../../../test/support/builders';
import type { WireCompany, WireCondition, WireRule } from '.';
import { evaluateFlag } from '../evaluate-flag';

const NOW = Date.UTC(2026, 10, 23, 19, 12, 5); // a Monday

function usageOf(limit: WireCondition, acme: WireCompany, overrides: Partial<WireRule> = {}) {
  const result = evaluateFlag(flag([rule({ rule_type: 'plan_entitlement', conditions: [limit], ...overrides })]), acme, null, { now: NOW });
  const { featureAllocation, featureUsage, featureUsageEvent, featureUsagePeriod, featureUsageResetAt } = result;
  return { featureAllocation, featureUsage, featureUsageEvent, featureUsagePeriod, featureUsageResetAt };
}

const apiCalls = (period: WireCondition['metric_period'], extra: Partial<WireCondition> = {}) =>
  condition({ condition_type: 'metric', operator: 'lte', event_subtype: 'api_call', metric_value: 100, metric_period: period, ...extra });

describe('entitlement usage fields', () => {
  it('report the metric, its limit, event and period when an entitlement rule decides', () => {
    expect(usageOf(apiCalls('all_time'), company({ metrics: [metric('api_call', 42)] }))).toEqual({
      featureAllocation: 100,
      featureUsage: 42,
      featureUsageEvent: 'api_call',
      featureUsagePeriod: 'all_time',
      featureUsageResetAt: null,
    });
  });

  it('are not reported for standard rules', () => {
    expect(usageOf(apiCalls('all_time'), company(), { rule_type: 'standard' }).featureUsage).toBeNull();
  });

  it('for a trait limit report the trait and the condition value as integers', () => {
    const seats = traitDefinition('trait_seats', 'int');
    const acme = company({ traits: [{ trait_definition: seats, value: '7' }] });
    expect(usageOf(traitCondition(seats, 'lt', '10'), acme)).toMatchObject({ featureUsage: 7, featureAllocation: 10, featureUsageEvent: null });
  });
});

describe('reset times', () => {
  const resetAt = (limit: WireCondition, acme: WireCompany = company()) => usageOf(limit, acme).featureUsageResetAt;

  it('daily metrics reset at the next UTC midnight', () => {
    expect(resetAt(apiCalls('current_day'))).toBe('2026-11-24T00:00:00+00:00');
  });

  it('weekly metrics reset at the start of the next Sunday', () => {
    expect(resetAt(apiCalls('current_week'))).toBe('2026-11-29T00:00:00+00:00');
  });

  it('monthly metrics reset on the 1st of next month', () => {
    expect(resetAt(apiCalls('current_month'))).toBe('2026-12-01T00:00:00+00:00');
  });

  it("billing-cycle metrics reset on the subscription's anniversary, clamped to short months and the period end", () => {
    const billing = apiCalls('current_month', { metric_period_month_reset: 'billing_cycle' });
    const subscribed = (period_start: string, period_end = '2030-01-01T00:00:00Z') =>
      company({ subscription: { id: 'sub_1', period_start, period_end } });
    expect(resetAt(billing, subscribed('2025-03-05T10:00:00Z'))).toBe('2026-12-05T10:00:00+00:00');
    expect(resetAt(billing, subscribed('2025-03-30T10:00:00.5Z'))).toBe('2026-11-30T10:00:00.500+00:00');
    expect(resetAt(billing, subscribed('2025-03-30T10:00:00Z', '2026-11-25T00:00:00Z'))).toBe('2026-11-25T00:00:00+00:00');
    expect(resetAt(billing, subscribed('2025-03-30 10:00:00 UTC'))).toBeNull();
  });
});
