import { parseCheckOptions, type ParsedCheckOptions } from '../evaluators/schematic/engine';
import type { CheckFlagOptions, EvaluationContext, PreflightOptions } from './types';

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

/**
 * A check's context and options with the context's `preflight` moved into the options, where every mode
 * reads it. As in Schematic's SDK, `usage` and `eventUsage` given in the options replace the context's pair,
 * and `creditCost` in the options wins over the context's. The context goes on without `preflight`, so
 * cache keys and request bodies are those of the same check without it.
 */
export function withContextPreflight(
  context: EvaluationContext,
  options: CheckFlagOptions | undefined,
): { context: EvaluationContext; options: CheckFlagOptions | undefined } {
  const preflight = context?.preflight;
  if (preflight === undefined || preflight === null || typeof preflight !== 'object') return { context, options };
  const { preflight: _moved, ...rest } = context;
  const optionsGiveUsage = options?.usage !== undefined || options?.eventUsage !== undefined;
  const usage: PreflightOptions = optionsGiveUsage
    ? pick(options, ['usage', 'eventUsage'])
    : pick(preflight, ['usage', 'eventUsage']);
  const creditCost = options?.creditCost ?? preflight.creditCost;
  return {
    context: rest,
    options: { ...options, ...usage, ...(creditCost !== undefined ? { creditCost } : {}) },
  };
}

function pick(source: PreflightOptions | undefined, names: readonly ('usage' | 'eventUsage')[]): PreflightOptions {
  const picked: PreflightOptions = {};
  for (const name of names) if (source?.[name] !== undefined) Object.assign(picked, { [name]: source[name] });
  return picked;
}
