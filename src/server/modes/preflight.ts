import { parseCheckOptions, type ParsedCheckOptions } from '../engine';
import type { CheckFlagOptions } from '../types';

/** Preflight options in wire form: whole units, rounded up, as Schematic's SDK sends them. */
export function wirePreflight(options: CheckFlagOptions | undefined): Record<string, unknown> | null {
  if (!options || (options.usage === undefined && !options.eventUsage && !options.creditCost)) return null;
  return {
    ...(options.usage !== undefined ? { usage: Math.ceil(options.usage) } : {}),
    ...(options.eventUsage ? { event_usage: { event_subtype: options.eventUsage.eventSubtype, quantity: Math.ceil(options.eventUsage.quantity) } } : {}),
    ...(options.creditCost ? { credit_cost: options.creditCost } : {}),
  };
}

/** The same, parsed for the engine; `null` without preflight usage. */
export function parsedPreflight(options: CheckFlagOptions | undefined): ParsedCheckOptions | null {
  const wire = wirePreflight(options);
  return wire === null ? null : parseCheckOptions(wire);
}
