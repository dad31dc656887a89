// The engine on its own: evaluate Schematic wire entities in-process with flagwire/server.
// Run with `npm start` (builds first). The Express example app replaces this as the main job.
import { evaluateFlag, parseCompany, parseFlag } from 'flagwire/server';

const scope = { account_id: 'acct_demo', environment_id: 'env_demo' };
const seats = { id: 'trait_seats', comparable_type: 'int', entity_type: 'company' };

const flag = parseFlag({
  ...scope,
  id: 'flag_reports',
  key: 'advanced-reports',
  default_value: false,
  rules: [
    {
      ...scope,
      id: 'rule_pro',
      name: 'Pro plan, up to 100 exports a month',
      rule_type: 'plan_entitlement',
      priority: 0,
      value: true,
      conditions: [
        { ...scope, id: 'c1', condition_type: 'plan', operator: 'eq', resource_ids: ['plan_pro'], trait_value: '' },
        {
          ...scope, id: 'c2', condition_type: 'metric', operator: 'lt', event_subtype: 'export', metric_value: 100,
          metric_period: 'current_month', resource_ids: [], trait_value: '',
        },
      ],
    },
    {
      ...scope,
      id: 'rule_big',
      name: 'Big teams',
      rule_type: 'standard',
      priority: 1,
      value: true,
      conditions: [{ ...scope, id: 'c3', condition_type: 'trait', operator: 'gte', trait_definition: seats, trait_value: '50' }],
    },
  ],
});

const company = (id, plans, exports, seatCount) =>
  parseCompany({
    ...scope,
    id,
    keys: { domain: `${id}.test` },
    plan_ids: plans,
    traits: [{ trait_definition: seats, value: String(seatCount) }],
    metrics: [{ ...scope, company_id: id, event_subtype: 'export', period: 'current_month', month_reset: 'first_of_month', value: exports, created_at: '2026-11-01T00:00:00Z' }],
  });

const companies = [company('acme', ['plan_pro'], 12, 8), company('globex', ['plan_pro'], 140, 8), company('initech', [], 0, 75)];
for (const c of companies) {
  const result = evaluateFlag(flag, c);
  console.log(`${c.keys.domain.padEnd(12)} ${String(result.value).padEnd(5)} ${result.reason}`);
  if (result.featureUsage !== null) {
    console.log(`${''.padEnd(12)} usage ${result.featureUsage}/${result.featureAllocation} ${result.featureUsageEvent}, resets ${result.featureUsageResetAt}`);
  }
}
