import type { OnFeatBitRead } from '../../evaluators/featbit/featbit-results';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from '../../evaluators/featbit/parsed-types';
import type { FeatBitEvaluation } from '../../evaluators/featbit/result';
import { evaluationEntryPrefix, readsItemJson } from './insight-json';
import { customPropertiesRead } from './insight-user';
import type { FeatBitInsights } from './insights';

/**
 * How long a request's group of reads may wait for another request before it is queued anyway. Under load a
 * group is queued when the next request first reads a flag, so this timer runs a few times a second at most,
 * instead of a callback per request.
 */
const QUIET_FLUSH_MS = 50;

/** The reads of one request until its group is queued: one insight item. */
interface ReadGroup {
  readonly user: ParsedFeatBitUser;
  readonly segments: FeatBitSegments;
  readonly flags: ParsedFeatBitFlag[];
  /** Each read's entry up to its timestamp, whether it goes to experiments, and when it was made. */
  readonly prefixes: string[];
  readonly toExperiment: boolean[];
  readonly times: number[];
  /** Queued: a later read of the same request starts a group of its own. */
  sent: boolean;
}

// An entry's text up to its timestamp, per flag and variation id: flags are immutable, replaced when they change.
const prefixes = new WeakMap<ParsedFeatBitFlag, Map<string, string>>();

function prefixOf(flag: ParsedFeatBitFlag, evaluation: FeatBitEvaluation): string {
  let byVariation = prefixes.get(flag);
  if (byVariation === undefined) prefixes.set(flag, (byVariation = new Map()));
  const id = evaluation.variationId ?? '';
  let prefix = byVariation.get(id);
  if (prefix === undefined) byVariation.set(id, (prefix = evaluationEntryPrefix(flag.key, { id, value: evaluation.value ?? '' })));
  return prefix;
}

/**
 * The user an item carries: key, name, and the custom properties any of its flags can read (their rules,
 * rollouts and segments) that the user has. FeatBit's event server reads only key and name of every insight;
 * the properties feed its end-user list, so what no flag reads stays out (see insight-user.ts).
 */
function itemUserJson(group: ReadGroup): string {
  const { user } = group;
  const customizedProperties: { name: string; value: string }[] = [];
  if (user.properties.size > 0) {
    // A handful of names: a list searched beats a Set made per request.
    const read: string[] = [];
    for (const flag of group.flags) for (const name of customPropertiesRead(flag, group.segments)) if (!read.includes(name)) read.push(name);
    for (const name of read) {
      const value = user.properties.get(name);
      if (value !== undefined) customizedProperties.push({ name, value });
    }
  }
  return JSON.stringify({ keyId: user.key, name: user.name, customizedProperties });
}

/**
 * FeatBit evaluation insights grouped by request: the flags one request reads go out as one item whose
 * `variations` lists each read (FeatBit's wire shape allows many), instead of one item, one copy of the user and a
 * twentieth of a POST per read. A group is queued when another request starts reading, or after a quiet
 * `QUIET_FLUSH_MS`, or at close; each read is in exactly one item (a request that reads after its group was
 * queued starts another). Each read keeps its own time; the item's JSON is made once, when it is queued.
 */
export class RequestInsights {
  private pending: ReadGroup[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly insights: FeatBitInsights,
    private readonly now: () => number,
  ) {}

  /** The reader for one request's results (called at most once per flag per request; see FeatBitResults). */
  open(user: ParsedFeatBitUser, segments: FeatBitSegments): OnFeatBitRead {
    let group: ReadGroup | null = null;
    return (flag, evaluation) => {
      if (group === null || group.sent) {
        // Another request reading: the groups before it are complete as far as this turn goes.
        if (this.pending.length > 0) this.flush();
        group = { user, segments, flags: [], prefixes: [], toExperiment: [], times: [], sent: false };
        this.pending.push(group);
        this.timer ??= this.quietFlush();
      }
      try {
        if (typeof evaluation.sendToExperiment !== 'boolean') throw new TypeError(`sendToExperiment: expected a boolean, got ${typeof evaluation.sendToExperiment}`);
        const prefix = prefixOf(flag, evaluation);
        group.flags.push(flag);
        group.prefixes.push(prefix);
        group.toExperiment.push(evaluation.sendToExperiment);
        group.times.push(this.now());
      } catch (error) {
        // A read never throws into the app: the event is counted and logged as refused instead.
        this.insights.refuse(error);
      }
    };
  }

  /** Queues every pending group as an item now. */
  flush(): void {
    const groups = this.pending;
    this.pending = [];
    for (const group of groups) {
      group.sent = true;
      if (group.prefixes.length === 0) continue;
      try {
        this.insights.item(readsItemJson(itemUserJson(group), group.prefixes, group.toExperiment, group.times));
      } catch (error) {
        this.insights.refuse(error);
      }
    }
  }

  /**
   * Queues what is pending a while after the first group since the last such flush: under load the next request
   * has queued the groups before it, and this runs a few times a second; it never keeps the process alive.
   */
  private quietFlush(): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, QUIET_FLUSH_MS);
    (timer as { unref?: () => void }).unref?.();
    return timer;
  }
}
