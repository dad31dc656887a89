import { featBitFlagProblems, featBitSegmentProblems } from '../evaluators/featbit/check-flag';
import { parseFeatBitFlag } from '../evaluators/featbit/parse-flag';
import { parseFeatBitSegment } from '../evaluators/featbit/parse-segment';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitSegment } from '../evaluators/featbit/parsed-types';
import { readSyncMessage } from '../evaluators/featbit/envelope';
import type { FeatBitFlag, FeatBitSegment } from '../evaluators/featbit/wire-types';
import type { PathProblem } from './compile';
import type { FeatBitFileFlags, FlagsData } from './flags-data';
import { locatedParser } from './located-parse';

/**
 * A flags file in FeatBit's bootstrap format — the data-sync envelope FeatBit's SDKs bootstrap from — so a team
 * exports its flags from FeatBit and runs them on the embedded default. Beside the envelope the file may list
 * `"client": ["flag-key", ...]`, the flags whose values may reach browsers. Archived flags and segments are
 * kept out, as FeatBit's spec reads them (absent). Every problem is reported with its place, and a live flag
 * or segment is checked in depth (variation ids, rollout coverage, operators, segment ids, regular expressions):
 * what would fail user by user in production fails here, once, for CI.
 */
export function readFeatBitFile(json: object, fail: (problems: readonly PathProblem[]) => never): FlagsData {
  const envelope = readSyncMessage(json);
  if (envelope.kind === 'ignored') return fail([{ path: [], message: `not a FeatBit bootstrap: ${envelope.reason}` }]);
  const client = (json as { client?: unknown }).client ?? [];
  if (!Array.isArray(client) || client.some((key) => typeof key !== 'string')) return fail([{ path: ['client'], message: 'expected a list of flag keys' }]);
  const { parseAt, problems } = locatedParser();
  const flags = new Map<string, ParsedFeatBitFlag>();
  const flagText = new Map<string, string>();
  const liveFlags: { index: number; wire: FeatBitFlag }[] = [];
  envelope.flags.forEach((wire, i) => {
    const parsed = parseAt(['data', 'featureFlags', i], () => parseFeatBitFlag(wire));
    if (parsed === null) return;
    if (flagText.has(parsed.key)) problems.push({ path: ['data', 'featureFlags', i, 'key'], message: `flag key "${parsed.key}" appears twice` });
    flagText.set(parsed.key, JSON.stringify(wire));
    if (parsed.isArchived) return;
    flags.set(parsed.key, parsed);
    liveFlags.push({ index: i, wire: wire as FeatBitFlag });
  });
  const segments = new Map<string, ParsedFeatBitSegment>();
  const segmentText = new Map<string, string>();
  const archivedSegments = new Set<string>();
  const segmentProblems: PathProblem[] = [];
  envelope.segments.forEach((wire, i) => {
    const parsed = parseAt(['data', 'segments', i], () => parseFeatBitSegment(wire));
    if (parsed === null) return;
    segmentText.set(parsed.id, JSON.stringify(wire));
    if (parsed.isArchived) return void archivedSegments.add(parsed.id);
    segments.set(parsed.id, parsed);
    for (const p of featBitSegmentProblems(wire as FeatBitSegment)) segmentProblems.push({ path: ['data', 'segments', i, ...p.path], message: p.message });
  });
  const known = { live: new Set(segments.keys()), archived: archivedSegments };
  for (const { index, wire } of liveFlags) {
    for (const p of featBitFlagProblems(wire, known)) problems.push({ path: ['data', 'featureFlags', index, ...p.path], message: p.message });
  }
  // In file order: featureFlags come before segments in FeatBit's envelope.
  problems.push(...segmentProblems);
  if (problems.length > 0) return fail(problems);
  const keys = [...flags.keys()];
  const featbit: FeatBitFileFlags = { flag: (key) => flags.get(key), flagKeys: () => keys, segments: segments as FeatBitSegments, flagText, segmentText };
  return { flags: new Map(), wireFlags: new Map(), companies: [], users: [], clientKeys: new Set(client as string[]), variants: new Map(), featbit };
}
