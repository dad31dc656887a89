import { createRequire } from 'node:module';

/**
 * Schematic's own rules engine (Rust compiled to WASM, shipped in `@schematichq/schematic-typescript-node`),
 * called directly: JSON strings in, a JSON string out. This is the raw engine, not `RulesEngineClient`,
 * because the client silently drops wire-shaped preflight options.
 */
interface RawEngine {
  checkFlagWithOptions(flag: string, company?: string | null, user?: string | null, options?: string | null): string;
  getVersionKey(): string;
}

const require = createRequire(import.meta.url);
const { RulesEngineJS } = require('@schematichq/schematic-typescript-node/dist/wasm/rulesengine.js') as {
  RulesEngineJS: new () => RawEngine;
};

const engine = new RulesEngineJS();

export type OracleOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: string };

/**
 * The engine reads the clock through `new Date()` from the global scope; swapping `Date` for the call pins
 * "now", so reset times can be compared exactly.
 */
function withClock<T>(nowMs: number, run: () => T): T {
  const RealDate = globalThis.Date;
  class PinnedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(nowMs);
      else super(...(args as [string]));
    }
  }
  globalThis.Date = PinnedDate as DateConstructor;
  try {
    return run();
  } finally {
    globalThis.Date = RealDate;
  }
}

const stringifyOrNull = (value: unknown): string | undefined => (value === undefined ? undefined : JSON.stringify(value));

export function oracleCheck(flag: unknown, company: unknown, user: unknown, options: unknown, nowMs: number): OracleOutcome {
  try {
    const out = withClock(nowMs, () =>
      engine.checkFlagWithOptions(JSON.stringify(flag), stringifyOrNull(company), stringifyOrNull(user), stringifyOrNull(options)),
    );
    return { ok: true, result: JSON.parse(out) as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function oracleVersionKey(): string {
  return engine.getVersionKey();
}
