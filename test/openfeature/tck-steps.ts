import { expect } from 'vitest';
import type { Step } from './gherkin';

/** The outcome of an evaluation, as both OpenFeature SDKs report it. */
export interface Details {
  value: unknown;
  variant?: string | undefined;
  reason?: string | undefined;
  errorCode?: string | undefined;
  errorMessage?: string | undefined;
}

export type FlagType = 'Boolean' | 'String' | 'Integer' | 'Float' | 'Object';
export type ProviderEventName = 'ready' | 'stale' | 'error' | 'change';

/**
 * What the steps need from the provider under test and its backend: the TCK's control API (start, change,
 * lose and restore the connection) and the OpenFeature client the provider is registered with.
 */
export interface TckHarness {
  /** Registers the provider over a backend that is up (`stable`) or cannot be reached (`unavailable`). */
  start(kind: 'stable' | 'unavailable'): Promise<void>;
  evaluate(type: FlagType, key: string, defaultValue: unknown, context: Record<string, string>): Promise<Details>;
  addHandler(event: ProviderEventName, handler: (details?: Record<string, unknown>) => void): void;
  /** The OpenFeature client's provider status: READY, STALE, ERROR, … */
  status(): string;
  providerName(): string;
  /** The control API's `/change`: `changing-flag` serves its other variant. */
  changeFlag(): Promise<void>;
  loseConnection(): Promise<void>;
  restoreConnection(): Promise<void>;
  /** The provider's own shutdown and initialize, not the SDK's. */
  shutdown(): Promise<void>;
  initialize(): Promise<void>;
  dispose(): Promise<void>;
}

interface Recorder {
  calls: (Record<string, unknown> | undefined)[];
  seen: number;
}

interface World {
  harness: TckHarness;
  flag: { type: FlagType; key: string; defaultValue: unknown } | null;
  context: Record<string, string>;
  details: Details | null;
  remembered: unknown;
  thrown: unknown;
  handlers: Map<ProviderEventName, Recorder>;
  lastEvent: Record<string, unknown> | undefined;
  shutdown: Promise<void> | null;
}

/** A liveness bound, not a speed assertion: how long a step waits for something that must happen. */
const DEFAULT_WAIT_MS = 5_000;

async function until(condition: () => boolean, what: string, ms = DEFAULT_WAIT_MS): Promise<void> {
  for (const started = Date.now(); !condition(); ) {
    if (Date.now() - started > ms) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function typed(type: FlagType, text: string): unknown {
  switch (type) {
    case 'Boolean':
      if (text !== 'true' && text !== 'false') throw new Error(`"${text}" is not a boolean`);
      return text === 'true';
    case 'Integer':
    case 'Float':
      return Number(text);
    case 'Object':
      return JSON.parse(text);
    default:
      return text;
  }
}

function flagOf(world: World) {
  if (!world.flag) throw new Error('no flag was given (step "a <type>-flag with key …")');
  return world.flag;
}

function detailsOf(world: World): Details {
  if (!world.details) throw new Error('the flag was not evaluated');
  return world.details;
}

function recorder(world: World, event: ProviderEventName): Recorder {
  const found = world.handlers.get(event);
  if (!found) throw new Error(`no ${event} event handler was added`);
  return found;
}

/** Waits for a call of the handler not yet accounted for, and accounts for it. */
async function executed(world: World, event: ProviderEventName, ms?: number): Promise<void> {
  const handler = recorder(world, event);
  await until(() => handler.calls.length > handler.seen, `the ${event} event handler being executed`, ms);
  world.lastEvent = handler.calls[handler.seen];
  handler.seen++;
}

type StepRun = (world: World, args: string[], table: Step['table']) => unknown;

const STEPS: [RegExp, StepRun][] = [
  [/^a (stable|unavailable) provider$/, (w, [kind]) => w.harness.start(kind as 'stable' | 'unavailable')],
  [
    /^a (Boolean|String|Integer|Float|Object)-flag with key "(.*)" and a default value "(.*)"$/,
    (w, [type, key, text]) =>
      void (w.flag = { type: type as FlagType, key: key as string, defaultValue: typed(type as FlagType, text as string) }),
  ],
  [/^a context containing a targeting key with value "(.*)"$/, (w, [key]) => void (w.context.targetingKey = key as string)],
  [
    /^the flag was evaluated with details$/,
    async (w) => {
      const flag = flagOf(w);
      try {
        w.details = await w.harness.evaluate(flag.type, flag.key, flag.defaultValue, { ...w.context });
      } catch (error) {
        w.thrown = error;
      }
    },
  ],
  [/^the resolved details value should be "(.*)"$/, (w, [text]) => expect(detailsOf(w).value).toEqual(typed(flagOf(w).type, text as string))],
  [/^the reason should be "(.*)"$/, (w, [reason]) => expect(detailsOf(w).reason).toBe(reason)],
  [/^the variant should be "(.*)"$/, (w, [variant]) => expect(detailsOf(w).variant).toBe(variant)],
  [/^the error-code should be "(.*)"$/, (w, [code]) => expect(detailsOf(w).errorCode ?? '').toBe(code)],
  [/^the error message should be empty$/, (w) => expect(detailsOf(w).errorMessage ?? '').toBe('')],
  [
    /^no exception should have been thrown$/,
    async (w) => {
      await w.shutdown;
      expect(w.thrown).toBeUndefined();
    },
  ],
  [
    /^the resolved object value should contain$/,
    (w, _args, table) => {
      const [header, ...rows] = table ?? [];
      expect(header).toEqual(['key', 'type', 'value']);
      const value = detailsOf(w).value as Record<string, unknown>;
      for (const [key, type, text] of rows) expect(value[key as string]).toEqual(typed(type as FlagType, text as string));
    },
  ],
  [/^the provider metadata name should not be empty$/, (w) => expect(w.harness.providerName()).not.toBe('')],
  [
    /^a (ready|stale|error|change) event handler$/,
    (w, [event]) => {
      const handler: Recorder = { calls: [], seen: 0 };
      w.handlers.set(event as ProviderEventName, handler);
      w.harness.addHandler(event as ProviderEventName, (details) => void handler.calls.push(details));
    },
  ],
  [/^the (ready|stale|error|change) event handler should have been executed$/, (w, [event]) => executed(w, event as ProviderEventName)],
  [/^the (ready|stale|error|change) event handler should have been executed within (\d+)ms$/, (w, [event, ms]) => executed(w, event as ProviderEventName, Number(ms))],
  [/^a (ready) event was fired$/, (w, [event]) => executed(w, event as ProviderEventName)],
  [/^the client should be in (ready|stale|error) state$/, (w, [state]) => expect(w.harness.status()).toBe(state?.toUpperCase())],
  [/^the resolved value is remembered$/, (w) => void (w.remembered = detailsOf(w).value)],
  [/^the resolved details value should have changed$/, (w) => expect(detailsOf(w).value).not.toEqual(w.remembered)],
  [/^the flag was modified$/, (w) => w.harness.changeFlag()],
  [/^the flag should be part of the event payload$/, (w) => expect(w.lastEvent?.flagsChanged).toContain(flagOf(w).key)],
  [/^the connection is lost$/, (w) => w.harness.loseConnection()],
  [/^the connection is restored$/, (w) => w.harness.restoreConnection()],
  [
    /^the provider is shut down$/,
    (w) => {
      // Chained, so a second shutdown follows the first; a throw is recorded for "no exception …".
      w.shutdown = (w.shutdown ?? Promise.resolve()).then(() => w.harness.shutdown()).catch((error: unknown) => void (w.thrown = error));
    },
  ],
  [
    /^the shutdown should have completed within (\d+)ms$/,
    async (w, [ms]) => {
      let done = false;
      void w.shutdown?.then(() => (done = true));
      await until(() => done, 'the shutdown', Number(ms));
    },
  ],
  [/^the provider is initialized again$/, (w) => w.harness.initialize()],
];

/** Runs one scenario's steps against a fresh harness; an unknown step fails the scenario, naming it. */
export async function runScenario(steps: readonly Step[], harness: TckHarness): Promise<void> {
  const world: World = { harness, flag: null, context: {}, details: null, remembered: undefined, thrown: undefined, handlers: new Map(), lastEvent: undefined, shutdown: null };
  try {
    for (const step of steps) {
      const match = STEPS.map(([pattern, run]) => [pattern.exec(step.text), run] as const).find(([found]) => found !== null);
      if (!match) throw new Error(`no step definition for "${step.keyword} ${step.text}"`);
      const [found, run] = match;
      await run(world, (found as RegExpExecArray).slice(1), step.table);
    }
  } finally {
    await world.shutdown;
    await harness.dispose();
  }
}
