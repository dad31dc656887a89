import type { OnFeatBitRead } from '../../evaluators/featbit/featbit-results';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from '../../evaluators/featbit/parsed-types';
import type { FeatBitEvaluation } from '../../evaluators/featbit/result';
import { asciiJson, entryTimestamp, evaluationEntryPrefix, sendToExperimentSuffix } from './insight-json';
import { customPropertiesRead } from './insight-user';
import type { FeatBitInsights } from './insights';

/** The reads of one request in one turn of the event loop: one insight item. */
interface ReadGroup {
  readonly user: ParsedFeatBitUser;
  readonly segments: FeatBitSegments;
  readonly flags: ParsedFeatBitFlag[];
  readonly entries: string[];
  /** Sent: a later read of the same request starts a group of its own. */
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
    const read = new Set<string>();
    for (const flag of group.flags) for (const name of customPropertiesRead(flag, group.segments)) read.add(name);
    for (const name of read) {
      const value = user.properties.get(name);
      if (value !== undefined) customizedProperties.push({ name, value });
    }
  }
  return asciiJson(JSON.stringify({ keyId: user.key, name: user.name, customizedProperties }));
}

/**
 * FeatBit evaluation insights grouped by request: the flags one request reads in a turn of the event loop go out
 * as one item whose `variations` lists each read (FeatBit's wire shape allows many), instead of one item, one
 * copy of the user and a twentieth of a POST per read. Each read is in exactly one item: a request that reads
 * more after its group was sent (after an await) starts another.
 */
export class RequestInsights {
  private pending: ReadGroup[] = [];
  private scheduled = false;
  private lastMs = Number.NaN;
  private lastMsText = '';

  constructor(
    private readonly insights: FeatBitInsights,
    private readonly now: () => number,
  ) {}

  /** The reader for one request's results (called at most once per flag per request; see FeatBitResults). */
  open(user: ParsedFeatBitUser, segments: FeatBitSegments): OnFeatBitRead {
    let group: ReadGroup | null = null;
    return (flag, evaluation) => {
      if (group === null || group.sent) {
        group = { user, segments, flags: [], entries: [], sent: false };
        this.pending.push(group);
        this.schedule();
      }
      try {
        const entry = `${prefixOf(flag, evaluation)}${this.timestampText()}${sendToExperimentSuffix(evaluation.sendToExperiment)}`;
        group.flags.push(flag);
        group.entries.push(entry);
      } catch (error) {
        // A read never throws into the app: the event is counted and logged as refused instead.
        this.insights.refuse(error);
      }
    };
  }

  /** The clock as entries write it; the reads of a request mostly fall in one millisecond, written once. */
  private timestampText(): string {
    const ms = entryTimestamp(this.now());
    if (ms !== this.lastMs) {
      this.lastMs = ms;
      this.lastMsText = String(ms);
    }
    return this.lastMsText;
  }

  /** Queues every pending group as an item now. */
  flush(): void {
    const groups = this.pending;
    this.pending = [];
    this.scheduled = false;
    for (const group of groups) {
      group.sent = true;
      if (group.entries.length === 0) continue;
      try {
        this.insights.evaluations(itemUserJson(group), group.entries);
      } catch (error) {
        this.insights.refuse(error);
      }
    }
  }

  /** Once per turn of the event loop, however many requests read flags in it. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }
}
