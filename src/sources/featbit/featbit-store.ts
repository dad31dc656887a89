import { IN_SEGMENT_PROPERTY, NOT_IN_SEGMENT_PROPERTY, parseFeatBitFlag, parseFeatBitSegment } from '../../evaluators/featbit';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitSegment } from '../../evaluators/featbit';
import type { Logger } from '../../core/logger';
import { FrameReport } from './frame-report';

/**
 * One stored row. `live` is `null` for a tombstone (an archived row): absent for evaluation, but its version
 * still counts, so the next data-sync request does not ask for it again.
 */
interface Stored<T> {
  readonly version: number;
  /** The row's JSON: a row arriving again unchanged keeps its parsed object and changes nothing. */
  readonly fingerprint: string;
  readonly live: T | null;
}

interface StoredFlag extends Stored<ParsedFeatBitFlag> {
  /** Segment ids the flag's rules name, to tell which flags a segment change touches. */
  readonly segmentIds: ReadonlySet<string>;
}

/** What a FeatBit flag set reads (see FeatBitFlagSet): immutable. */
export interface FeatBitSnapshot {
  readonly flags: ReadonlyMap<string, ParsedFeatBitFlag>;
  readonly segments: FeatBitSegments;
  readonly flagText: (key: string) => string | undefined;
  readonly segmentText: (id: string) => string | undefined;
}

type Row<T> = { key: string; stored: T } | { label: string; problem: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The row's `updatedAt` in Unix ms, its version; 0 when missing or unreadable. */
function versionOf(row: Record<string, unknown>): number {
  const updatedAt = row.updatedAt;
  const ms = typeof updatedAt === 'string' ? Date.parse(updatedAt) : Number.NaN;
  return Number.isFinite(ms) ? ms : 0;
}

function labelOf(row: unknown, field: 'key' | 'id', index: number): string {
  try {
    const name = isRecord(row) ? row[field] : undefined;
    return typeof name === 'string' ? JSON.stringify(name) : `#${index}`;
  } catch {
    return `#${index}`;
  }
}

/** The error's message without flagwire's prefix: the log line that quotes it has its own. */
function problemOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\[flagwire\] /, '');
}

function segmentIdsOf(flag: ParsedFeatBitFlag): Set<string> {
  const ids = new Set<string>();
  for (const rule of flag.rules) {
    for (const condition of rule.conditions) {
      if (condition.property === IN_SEGMENT_PROPERTY || condition.property === NOT_IN_SEGMENT_PROPERTY) for (const id of condition.segmentIds) ids.add(id);
    }
  }
  return ids;
}

/** A tombstone needs only its name and version: it is never evaluated, so the rest need not parse. */
function tombstoneName(row: Record<string, unknown>, field: 'key' | 'id'): string | null {
  const name = row[field];
  return row.isArchived === true && typeof name === 'string' ? name : null;
}

function readFlag(row: unknown, index: number): Row<StoredFlag> {
  try {
    if (!isRecord(row)) return { label: `#${index}`, problem: 'not an object' };
    const fingerprint = JSON.stringify(row);
    const version = versionOf(row);
    const tombstone = tombstoneName(row, 'key');
    if (tombstone !== null) return { key: tombstone, stored: { version, fingerprint, live: null, segmentIds: new Set() } };
    const live = parseFeatBitFlag(row);
    return { key: live.key, stored: { version, fingerprint, live, segmentIds: segmentIdsOf(live) } };
  } catch (error) {
    return { label: labelOf(row, 'key', index), problem: problemOf(error) };
  }
}

function readSegment(row: unknown, index: number): Row<Stored<ParsedFeatBitSegment>> {
  try {
    if (!isRecord(row)) return { label: `#${index}`, problem: 'not an object' };
    const fingerprint = JSON.stringify(row);
    const version = versionOf(row);
    const tombstone = tombstoneName(row, 'id');
    if (tombstone !== null) return { key: tombstone, stored: { version, fingerprint, live: null } };
    const live = parseFeatBitSegment(row);
    return { key: live.id, stored: { version, fingerprint, live } };
  } catch (error) {
    return { label: labelOf(row, 'id', index), problem: problemOf(error) };
  }
}

const asList = (rows: readonly unknown[]): readonly unknown[] => (Array.isArray(rows) ? rows : []);

/**
 * FeatBit flags and segments as data sync delivers them (FeatBit's server SDK spec, data sync): a `full` replaces
 * everything, a `patch` upserts each row only when its `updatedAt` is newer, archived rows stay as tombstones.
 * Rows are parsed once on arrival; one that does not parse is skipped and logged and the rest of the frame is
 * applied, so the store never holds anything evaluation cannot read. Parsed objects are replaced, never mutated.
 */
export class FeatBitStore {
  private flags = new Map<string, StoredFlag>();
  private segmentRows = new Map<string, Stored<ParsedFeatBitSegment>>();
  private liveSegments: FeatBitSegments = new Map();
  private liveKeys: readonly string[] = [];
  private versionMs = 0;
  private committed = false;
  /** The snapshot of what is stored, until the next commit. */
  private taken: FeatBitSnapshot | null = null;

  constructor(private readonly logger: Logger) {}

  /** Max updatedAt in ms over everything stored, tombstones included; 0 when empty (the data-sync request timestamp). */
  get version(): number {
    return this.versionMs;
  }

  /** True once a full or patch has been committed. */
  get initialized(): boolean {
    return this.committed;
  }

  /** Live segments by id (archived ones absent, so a flag naming one evaluates as an error, as FeatBit's spec says). */
  get segments(): FeatBitSegments {
    return this.liveSegments;
  }

  /** Live flag, parsed; undefined when absent or archived. */
  flag(key: string): ParsedFeatBitFlag | undefined {
    return this.flags.get(key)?.live ?? undefined;
  }

  /** Keys of live flags. */
  flagKeys(): readonly string[] {
    return this.liveKeys;
  }

  /**
   * What is stored now, for evaluation: live flags and segments, and each row's JSON (to tell sets apart).
   * Later frames replace the maps rather than change them, so a snapshot never changes under its reader.
   */
  snapshot(): FeatBitSnapshot {
    if (this.taken) return this.taken;
    const rows = this.flags;
    const segmentRows = this.segmentRows;
    const flags = new Map<string, ParsedFeatBitFlag>();
    for (const [key, row] of rows) if (row.live) flags.set(key, row.live);
    this.taken = { flags, segments: this.liveSegments, flagText: (key) => rows.get(key)?.fingerprint, segmentText: (id) => segmentRows.get(id)?.fingerprint };
    return this.taken;
  }

  /** Replaces everything (a `full` event). Returns the keys of flags whose answers may have changed. */
  applyFull(flags: readonly unknown[], segments: readonly unknown[]): string[] {
    const report = new FrameReport();
    const nextFlags = new Map<string, StoredFlag>();
    asList(flags).forEach((row, i) => this.take(readFlag(row, i), 'flag', report, (key, stored) => nextFlags.set(key, this.unchanged(this.flags.get(key), stored, report))));
    const nextSegments = new Map<string, Stored<ParsedFeatBitSegment>>();
    asList(segments).forEach((row, i) => this.take(readSegment(row, i), 'segment', report, (key, stored) => nextSegments.set(key, this.unchanged(this.segmentRows.get(key), stored, report))));

    const changedSegments = changedLive(this.segmentRows, nextSegments);
    const changed = changedLive(this.flags, nextFlags);
    this.flags = nextFlags;
    this.segmentRows = nextSegments;
    this.versionMs = 0;
    for (const row of [...nextFlags.values(), ...nextSegments.values()]) this.versionMs = Math.max(this.versionMs, row.version);
    this.tell(report, 'full', flags, segments);
    return this.commit(changed, changedSegments);
  }

  /** Upserts each flag/segment only when its updatedAt (ms) is newer than the stored one; archived rows stay as tombstones. */
  applyPatch(flags: readonly unknown[], segments: readonly unknown[]): string[] {
    const report = new FrameReport();
    const changed = new Set<string>();
    const changedSegments = new Set<string>();
    let flagRows: Map<string, StoredFlag> | null = null;
    asList(flags).forEach((row, i) =>
      this.take(readFlag(row, i), 'flag', report, (key, stored) => {
        // Copied on first write, as segments are: a snapshot handed out earlier stays as it was.
        flagRows ??= new Map(this.flags);
        if (this.upsert(flagRows, key, stored, report)) changed.add(key);
      }),
    );
    if (flagRows) this.flags = flagRows;
    let segmentRows: Map<string, Stored<ParsedFeatBitSegment>> | null = null;
    asList(segments).forEach((row, i) =>
      this.take(readSegment(row, i), 'segment', report, (key, stored) => {
        // Copied on first write: `segments` handed out earlier stay as they were.
        segmentRows ??= new Map(this.segmentRows);
        if (this.upsert(segmentRows, key, stored, report)) changedSegments.add(key);
      }),
    );
    if (segmentRows) this.segmentRows = segmentRows;
    this.tell(report, 'patch', flags, segments);
    return this.commit(changed, changedSegments);
  }

  private tell(report: FrameReport, what: string, flags: readonly unknown[], segments: readonly unknown[]): void {
    const line = report.line(what, asList(flags).length + asList(segments).length);
    if (line !== null) this.logger.warn(line);
  }

  private take<T>(row: Row<T>, kind: 'flag' | 'segment', report: FrameReport, apply: (key: string, stored: T) => void): void {
    if ('problem' in row) return report.skip(kind, row.label, row.problem);
    apply(row.key, row.stored);
  }

  /**
   * The stored row when the arriving one is the same JSON (so its parsed object is kept), else the arriving one,
   * whose unusable conditions (if any) the frame's report then names: a row seen before was named then.
   */
  private unchanged<T extends Stored<unknown>>(old: T | undefined, arriving: T, report: FrameReport): T {
    if (old !== undefined && old.fingerprint === arriving.fingerprint) return old;
    if (arriving.live !== null) report.stored(arriving.live as ParsedFeatBitFlag | ParsedFeatBitSegment);
    return arriving;
  }

  /** Stores a patch row when it is newer; whether that changed what evaluation sees. */
  private upsert<T extends Stored<unknown>>(rows: Map<string, T>, key: string, arriving: T, report: FrameReport): boolean {
    const old = rows.get(key);
    if (old !== undefined && arriving.version <= old.version) return false;
    const next = this.unchanged(old, arriving, report);
    rows.set(key, next);
    this.versionMs = Math.max(this.versionMs, next.version);
    // A tombstone for a row never seen live changes nothing evaluation sees.
    return (old?.live ?? null) !== next.live;
  }

  private commit(changed: Set<string>, changedSegments: Set<string>): string[] {
    if (changedSegments.size > 0) {
      const live = new Map<string, ParsedFeatBitSegment>();
      for (const [id, row] of this.segmentRows) if (row.live) live.set(id, row.live);
      this.liveSegments = live;
      for (const [key, row] of this.flags) {
        if (row.live && [...row.segmentIds].some((id) => changedSegments.has(id))) changed.add(key);
      }
    }
    if (changed.size > 0) this.liveKeys = [...this.flags].filter(([, row]) => row.live).map(([key]) => key);
    this.committed = true;
    this.taken = null;
    return [...changed];
  }
}

/** Names whose live object differs between two row sets (added, removed, replaced, archived or revived). */
function changedLive(before: ReadonlyMap<string, Stored<unknown>>, after: ReadonlyMap<string, Stored<unknown>>): Set<string> {
  const changed = new Set<string>();
  for (const [name, row] of after) if ((before.get(name)?.live ?? null) !== row.live) changed.add(name);
  for (const [name, row] of before) if (row.live !== null && !after.has(name)) changed.add(name);
  return changed;
}
