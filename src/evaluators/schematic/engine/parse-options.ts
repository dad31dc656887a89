import { PARSED, type ParsedCheckOptions } from './parsed-types';
import { WireReader } from './wire-reader';
import type { WireCheckOptions } from './wire-types';

export const NEGATIVE_USAGE = 'preflight usage cannot be negative';
export const NEGATIVE_CREDIT_COST = 'preflight credit cost cannot be negative';

/**
 * Validates preflight check options (usage about to be consumed).
 * @throws InvalidEntityError where Schematic's engine would reject the options. Negative amounts are not
 * thrown: they are reported on the result's `err`, as Schematic's engine reports them.
 */
export function parseCheckOptions(options: WireCheckOptions | unknown): ParsedCheckOptions {
  // Schematic's engine reads preflight options in snake_case only; camelCase fields are ignored.
  const reader = new WireReader('options', false);
  const obj = reader.object(options, '');
  const usage = reader.optionalInteger(obj, 'usage', '');
  const eventUsageValue = reader.field(obj, 'event_usage', '');
  let eventUsage: ParsedCheckOptions['eventUsage'] = null;
  if (eventUsageValue !== undefined && eventUsageValue !== null) {
    const eventUsageObj = reader.object(eventUsageValue, 'event_usage');
    eventUsage = {
      eventSubtype: reader.string(eventUsageObj, 'event_subtype', 'event_usage'),
      quantity: reader.integer(eventUsageObj, 'quantity', 'event_usage'),
    };
  }
  const creditCost = reader.numberMap(obj, 'credit_cost', '', false);
  let problem: string | null = null;
  if ((usage !== null && usage < 0) || (eventUsage !== null && eventUsage.quantity < 0)) problem = NEGATIVE_USAGE;
  else if ([...creditCost.values()].some((cost) => cost < 0)) problem = NEGATIVE_CREDIT_COST;
  return Object.freeze({ [PARSED]: 'options' as const, usage, eventUsage, creditCost, problem });
}
