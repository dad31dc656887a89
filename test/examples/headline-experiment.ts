import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'jsonc-parser';
import { bucketInShare, dispatchBucket, rolloutShare } from '../../src/evaluators/featbit/dispatch';

/**
 * The examples' headline experiment as FeatBit would serve it: a 34/33/33 rollout of control, bold and
 * question, bucketed by `dispatchBucket('headline' + visitor id)`. Computed here from FeatBit's dispatch
 * alone, so the examples are checked against the algorithm rather than against flagwire's own evaluation.
 */
const SHARES = [
  ['control', rolloutShare(0, 0.34)],
  ['bold', rolloutShare(0.34, 0.67)],
  ['question', rolloutShare(0.67, 1)],
] as const;

export type HeadlineVariation = (typeof SHARES)[number][0];

/** The cookie both examples keep a visitor's id in: the user key the rollout is sticky by. */
export const VISITOR_COOKIE = 'visitor';

/** Visitor ids for the tests: enough that every variation is served, as the tests check. */
export const VISITORS = Array.from({ length: 30 }, (_, i) => `e2e-visitor-${i}`);

/** The variation FeatBit's dispatch gives a visitor: the first share holding their bucket. */
export function expectedVariation(visitor: string): HeadlineVariation {
  const bucket = dispatchBucket(`headline${visitor}`);
  const found = SHARES.find(([, share]) => bucketInShare(bucket, share));
  if (!found) throw new Error(`bucket ${bucket} of ${visitor} is in no share`);
  return found[0];
}

/** One visitor per variation, and a second visitor of the first: the pages the browser tests open. */
export function visitorsCoveringEveryVariation(): string[] {
  const firsts = SHARES.map(([name]) => VISITORS.find((visitor) => expectedVariation(visitor) === name));
  if (firsts.some((visitor) => visitor === undefined)) throw new Error('VISITORS do not cover every variation');
  const second = VISITORS.find((visitor) => !firsts.includes(visitor) && expectedVariation(visitor) === 'control') as string;
  return [...(firsts as string[]), second];
}

/** The headline texts of an example's flags file, by variation name; the file's rollout must be the one above. */
export function headlineTexts(flagsFile: string): Record<HeadlineVariation, string> {
  const headline = parse(readFileSync(flagsFile, 'utf8')).flags?.headline;
  const expectedRollout = Object.fromEntries(SHARES.map(([name, share]) => [name, Math.round((share.end - share.start) * 100)]));
  if (JSON.stringify(headline?.rollout) !== JSON.stringify(expectedRollout)) {
    throw new Error(`${flagsFile}: the headline rollout is ${JSON.stringify(headline?.rollout)}, not ${JSON.stringify(expectedRollout)}`);
  }
  return headline.variations;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#39;': "'" };

/** The text of the server-rendered `#headline` element, or null when the HTML has none. */
export function headlineInHtml(html: string): string | null {
  const match = /<h2\b[^>]*\bid="headline"[^>]*>([^<]*)<\/h2>/.exec(html);
  return match ? (match[1] as string).replace(/&(?:amp|lt|gt|quot|#x27|#39);/g, (entity) => ENTITIES[entity] as string) : null;
}

/** The visitor id a response's `Set-Cookie` assigns, if it assigns one. */
export function assignedVisitor(response: Response): string | undefined {
  for (const cookie of response.headers.getSetCookie()) {
    const match = new RegExp(`^${VISITOR_COOKIE}=([^;]*)`).exec(cookie);
    if (match) return decodeURIComponent(match[1] as string);
  }
  return undefined;
}

/** The parts of an example's flags file the tests edit. */
export interface ExampleFlagsFile {
  flags: { 'new-dashboard': { rules: [{ when: string }] }; 'beta-banner': { rules: [{ when: string }] }; headline: { variations: Record<string, string> } };
}

/** Rewrites an example's flags file (as plain JSON) with an edit applied. */
export function editFlagsFile(flagsFile: string, edit: (file: ExampleFlagsFile) => void): void {
  const file = parse(readFileSync(flagsFile, 'utf8')) as ExampleFlagsFile;
  edit(file);
  writeFileSync(flagsFile, JSON.stringify(file, null, 2));
}
