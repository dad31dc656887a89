import { FbClientBuilder, type IFbClient, type IUser } from '@featbit/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatBitFlag, FeatBitVariationType } from '../../src/evaluators/featbit';
import { createFlagsClient, type FlagsClient, type FlagValue } from '../../src/server/index';
import { divergencesOf } from '../support/featbit-divergences';
import { FeatBitTestServer } from '../support/featbit-server';
import { recordingLogger } from '../support/flags-files';
import { Random } from '../support/random';
import { type Change, type ChangeKind, changeKinds, contextOf, FLAG_TYPES, featBitUserOf, InteropWorld, people, type Person } from './interop-changes';

/**
 * FeatBit's own Node SDK (streaming) and flagwire's FeatBit mode, connected to one FeatBit-protocol server,
 * give every person the same value, variation id and reason kind for every flag after every change, each
 * change compared only once both clients have applied it (FeatBit's `update` event, flagwire's `change`
 * event, for every key the change touched). The generated inputs avoid FeatBit's documented divergences
 * (see interop-changes.ts); every compared case is also run through the divergence classifier, so an input
 * that slipped into one fails the test instead of being compared. Archived flags are the exception, on
 * purpose: the Node SDK evaluates them as live (a documented divergence), so there only flagwire is checked, to
 * answer as for an absent flag.
 */
const SEED = Number(process.env.FLAGWIRE_INTEROP_SEED ?? 1505);
const CHANGES = 36;
const PEOPLE = 120;
const APPLY_GUARD_MS = 15_000;

interface Answer {
  value: FlagValue;
  variation: string | null;
  kind: string;
}

const SDK_KIND: Record<string, string> = { Off: 'off', TargetMatch: 'target_match', RuleMatch: 'rule_match', FallThrough: 'fallthrough', FlagNotFound: 'not_found', Error: 'error', WrongType: 'wrong_type' };
const THIRDS = JSON.stringify([[0, 0.34], [0.34, 0.67], [0.67, 1]]);
const DEFAULTS: Record<FeatBitVariationType, FlagValue> = { boolean: false, string: '', number: -1, json: null };

/** The part of the SDK's insight event read here. */
interface SdkEvent {
  variation?: { id?: string };
}

const variationIdOf = (event: SdkEvent | null) => event?.variation?.id ?? null;

/** Keys a client reported as changed since the last reset; `includes` waits until it has seen all of some. */
function keysSeen(subscribe: (listener: (keys: readonly string[]) => void) => void) {
  let seen = new Set<string>();
  let wake = () => {};
  subscribe((keys) => {
    for (const key of keys) seen.add(key);
    wake();
  });
  return {
    reset: () => void (seen = new Set()),
    async includes(expected: readonly string[], what: string): Promise<void> {
      const guard = Date.now() + APPLY_GUARD_MS;
      while (!expected.every((key) => seen.has(key))) {
        // A guard against hanging, not a timing assertion: a change never applied fails with what was missing.
        if (Date.now() > guard) throw new Error(`${what} never reported ${expected.filter((key) => !seen.has(key)).join(', ')}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

describe("FeatBit's Node SDK and flagwire's FeatBit mode on one FeatBit server", () => {
  const random = new Random(SEED);
  const persons = people(random, PEOPLE);
  const world = new InteropWorld(random, persons);
  const log = recordingLogger();
  let server: FeatBitTestServer;
  let sdk: IFbClient;
  let ours: FlagsClient;
  // The SDK's last recorded insight event (a holder, as the SDK writes it from a callback).
  const recorded: { event: SdkEvent | null } = { event: null };
  let sdkSeen: ReturnType<typeof keysSeen>;
  let oursSeen: ReturnType<typeof keysSeen>;
  const tally = new Map<string, number>();
  const bump = (key: string) => tally.set(key, (tally.get(key) ?? 0) + 1);

  beforeAll(async () => {
    server = await new FeatBitTestServer().start();
    server.setAll({ flags: [...world.flags.values()], segments: [...world.segments.values()] });
    sdk = new FbClientBuilder().sdkKey(server.secret).streamingUri(server.url).eventsUri(server.url).disableEvents(true).logLevel('none').build();
    // The variation id is not in the SDK's detail; it is in the insight event it records, so that is kept.
    (sdk as unknown as { eventProcessor: object }).eventProcessor = {
      record: (event: typeof recorded.event) => void (recorded.event = event),
      flush: async () => {},
      close: async () => {},
    };
    ours = createFlagsClient({ featbit: { envSecret: server.secret, streamingUri: server.url, sendEvents: false }, logger: log.logger });
    sdkSeen = keysSeen((listener) => sdk.on('update', listener));
    oursSeen = keysSeen((listener) => ours.on('change', (event) => listener(event.type === 'flags' ? event.keys : [])));
    await sdk.waitForInitialization();
    expect(await ours.ready()).toBe('ready');
  });

  afterAll(async () => {
    await sdk?.close();
    await ours?.close();
    await server?.stop();
  });

  async function sdkAnswer(key: string, user: IUser, type: FeatBitVariationType): Promise<Answer> {
    recorded.event = null;
    const detail =
      type === 'boolean'
        ? await sdk.boolVariationDetail(key, user, DEFAULTS.boolean as boolean)
        : type === 'number'
          ? await sdk.numberVariationDetail(key, user, DEFAULTS.number as number)
          : type === 'json'
            ? await sdk.jsonVariationDetail(key, user, DEFAULTS.json)
            : await sdk.stringVariationDetail(key, user, DEFAULTS.string as string);
    return { value: detail.value as FlagValue, variation: variationIdOf(recorded.event), kind: SDK_KIND[detail.kind] ?? detail.kind };
  }

  async function oursAnswer(key: string, person: Person, type: FeatBitVariationType): Promise<{ answer: Answer; ruleId: string | null }> {
    const detail = await ours.variationDetail(contextOf(person), key, DEFAULTS[type]);
    return { answer: { value: detail.value, variation: detail.variation, kind: detail.kind }, ruleId: detail.ruleId };
  }

  /** Tallies what an agreed answer exercised (its kind, a segment rule, a split rollout), for the coverage test. */
  function record(flag: FeatBitFlag, answer: Answer, ruleId: string | null): void {
    bump(`kind:${answer.kind}`);
    const rule = flag.rules.find((r) => r.id === ruleId);
    if (rule?.conditions.some((c) => c.op === null)) bump('segment rule matched');
    const rollout = answer.kind === 'fallthrough' ? flag.fallthrough : answer.kind === 'rule_match' ? rule : undefined;
    if (rollout && rollout.variations.length > 1) bump(rollout.dispatchKey === null ? 'split by user key' : 'split by custom dispatch key');
  }

  /** Every person and flag (absent and archived ones too) after a change: the differences, at most a few. */
  async function differences(change: Change, step: number): Promise<unknown[]> {
    const found: unknown[] = [];
    const segments = [...world.segments.values()];
    for (const [key, type] of Object.entries(FLAG_TYPES)) {
      const flag = world.flags.get(key);
      const thirdsServed = new Set<string | null>();
      for (const person of persons) {
        if (found.length >= 3) return found;
        const user = featBitUserOf(person);
        const { answer: mine, ruleId } = await oursAnswer(key, person, type);
        if (flag?.isArchived) {
          bump('archived: flagwire only');
          if (mine.kind !== 'not_found' || mine.value !== DEFAULTS[type]) found.push({ step, change: change.kind, key, person: person.key, archived: mine });
          continue;
        }
        if (flag) {
          const divergences = divergencesOf({ flag, segments, user });
          if (divergences.size > 0) throw new Error(`generated input runs into ${[...divergences].join(', ')}: ${JSON.stringify({ flag, user })}`);
        }
        const theirs = await sdkAnswer(key, user, type);
        if (JSON.stringify(mine) !== JSON.stringify(theirs)) found.push({ step, change: change.kind, key, person: person.key, flagwire: mine, sdk: theirs, flag });
        else if (!flag) bump('absent: both not found');
        else {
          record(flag, mine, ruleId);
          if (mine.kind === 'fallthrough' && JSON.stringify(flag.fallthrough.variations.map((v) => v.rollout)) === THIRDS) thirdsServed.add(mine.variation);
        }
      }
      if (thirdsServed.size === 3) bump('34/33/33 served all three');
    }
    return found;
  }

  async function apply(change: Change): Promise<void> {
    sdkSeen.reset();
    oursSeen.reset();
    if (change.kind === 'replace-all' || change.kind === 'reconnect') server.setAll({ flags: change.flags, segments: change.segments });
    if (change.kind === 'replace-all') server.pushFull();
    else if (change.kind === 'reconnect') server.dropAll();
    else server.push({ flags: change.flags, segments: change.segments });
    await Promise.all([sdkSeen.includes(change.changedKeys, 'the FeatBit SDK'), oursSeen.includes(change.changedKeys, 'flagwire')]);
  }

  it(`agree for ${PEOPLE} people on every flag after each of ${CHANGES} generated changes (seed ${SEED})`, async () => {
    const kinds = new Set<ChangeKind>();
    expect(await differences({ kind: 'replace-all', flags: [], segments: [], changedKeys: [] }, 0)).toEqual([]);
    for (const [index, planned] of changeKinds(random, CHANGES).entries()) {
      const change = world.next(planned);
      kinds.add(change.kind);
      await apply(change);
      expect(await differences(change, index + 1)).toEqual([]);
    }
    expect([...kinds].sort()).toEqual(['archive', 'disable', 'experiment', 'patch', 'reconnect', 'replace-all', 'revive', 'segment']);
    expect(server.counts.connections, 'both clients reconnected once').toBe(4);
    expect(log.lines.filter((line) => line.level === 'error')).toEqual([]);
  }, 180_000);

  it('compared every reason kind, absent and archived flags, segment rules, a 34/33/33 experiment, and splits by user key and by a custom dispatch key', () => {
    const wanted = ['kind:off', 'kind:target_match', 'kind:rule_match', 'kind:fallthrough', 'absent: both not found', 'archived: flagwire only', 'segment rule matched', '34/33/33 served all three', 'split by user key', 'split by custom dispatch key'];
    expect(wanted.filter((key) => !tally.has(key)), JSON.stringify(Object.fromEntries(tally))).toEqual([]);
  });
});
