import type { IUser } from '@featbit/node-server-sdk';
import type { Attributes } from '@growthbook/growthbook';
import type { EvaluationContext } from 'flagwire/server';
import { formatNs, measure, type Task } from '../measure';
import { checkHeadlineAgree, checkOnOffAgree, storedUserContext, visitor, visitorContext } from './agreement';
import type { PeerClients } from './clients';
import { featBitStoredUser, featBitUser } from './featbit';
import { growthBookAttributes, requestCountry, type StoredUser } from './fixtures';
import { pairedRatios, ratioVerdict } from './figures';

/**
 * Items 3 and 5 of the peers bench, in one process on one flagwire client (the 1,000-user flags file) and one
 * GrowthBook client: one check with a request-time attribute, and `variation()` on the three-way flag. Inputs
 * are built before timing, for both SDKs alike, and rotate.
 */
const INPUTS = 1024;
const HEADLINE_KEYS = 20_000;
const CHECK_TARGET = 0.7;
const VARIATION_TARGET = 0.5;

interface Input {
  context: EvaluationContext;
  attributes: { attributes: Attributes };
  featBitUser: IUser;
}

function storedInputs(users: readonly StoredUser[]): Input[] {
  return Array.from({ length: INPUTS }, (_, i) => {
    // User `n` with the country checkOnOffAgree checked it with.
    const n = i % users.length;
    const user = users[n]!;
    const country = requestCountry(n);
    return { context: storedUserContext(user, country), attributes: { attributes: growthBookAttributes(user, country) }, featBitUser: featBitStoredUser(user, country) };
  });
}

function visitorInputs(): Input[] {
  return Array.from({ length: INPUTS }, (_, i) => {
    const { key, country } = visitor(i);
    return { context: visitorContext(key, country), attributes: { attributes: { id: key, country } }, featBitUser: featBitUser(key, { country }) };
  });
}

function table(results: Awaited<ReturnType<typeof measure>>): string[] {
  const baseline = results[0]!.nsPerOp;
  return [
    '| path | per call | p10 – p90 | vs the GrowthBook row above it |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / baseline).toFixed(3)}× |`),
  ];
}

async function checkSection({ flagwire, growthBook, featBit }: PeerClients, users: readonly StoredUser[]): Promise<string[]> {
  const stored = storedInputs(users);
  const visitors = visitorInputs();
  const at = (inputs: Input[], i: number) => inputs[i & (INPUTS - 1)]!;
  const growthBookStored: Task = { name: 'GrowthBook `isOn(key, { attributes })`, the user\'s attributes and the country', run: (i) => growthBook.isOn('eu-banner', at(stored, i).attributes) };
  const checkStored: Task = { name: 'flagwire `await checkFlag(ctx, key)`, stored user by id + `attributes`', async: true, run: (i) => flagwire.checkFlag(at(stored, i).context, 'eu-banner') };
  const nowStored: Task = { name: 'flagwire `snapshotNow(ctx)!.isEnabled(key)` (synchronous), same contexts', run: (i) => flagwire.snapshotNow(at(stored, i).context)!.isEnabled('eu-banner') };
  const growthBookVisitor: Task = { name: 'GrowthBook `isOn(key, { attributes: { id, country } })`', run: (i) => growthBook.isOn('eu-banner', at(visitors, i).attributes) };
  const checkVisitor: Task = { name: 'flagwire `await checkFlag(ctx, key)`, visitor `{ user: { key } }` + `attributes`', async: true, run: (i) => flagwire.checkFlag(at(visitors, i).context, 'eu-banner') };
  const nowVisitor: Task = { name: 'flagwire `snapshotNow(ctx)!.isEnabled(key)`, same visitors', run: (i) => flagwire.snapshotNow(at(visitors, i).context)!.isEnabled('eu-banner') };
  const featBitStored: Task = { name: 'FeatBit Node SDK `await boolVariation(key, user, false)`, the user\'s properties and the country', async: true, run: (i) => featBit.boolVariation('eu-banner', at(stored, i).featBitUser, false) };
  const featBitVisitor: Task = { name: 'FeatBit Node SDK `await boolVariation(key, user, false)`, visitor with the country', async: true, run: (i) => featBit.boolVariation('eu-banner', at(visitors, i).featBitUser, false) };
  const [storedResults, visitorResults] = [await measure([growthBookStored, checkStored, nowStored, featBitStored]), await measure([growthBookVisitor, checkVisitor, nowVisitor, featBitVisitor])];
  const [checkRatios, nowRatios] = await pairedRatios(growthBookStored, [checkStored, nowStored]);
  const [visitorCheckRatios, visitorNowRatios] = await pairedRatios(growthBookVisitor, [checkVisitor, nowVisitor]);
  return [
    '### 3. One check with request-time attributes',
    '',
    `Flag \`eu-banner\`: on when \`user.country in [DE, FR, ES, IT]\`, the country given with the request (GrowthBook: the same`,
    `condition with \`$in\`). ${INPUTS} inputs rotated: stored users of the 1,000-user file, found by \`id\`, each request with a`,
    'country (GrowthBook gets that user\'s attributes with the country over them, built before timing); then visitors nobody stored.',
    '',
    ...table(storedResults),
    ...table(visitorResults).slice(2),
    '',
    'Paired runs (median run), time per check over GrowthBook `isOn`:',
    `- stored user, \`checkFlag\`: ${ratioVerdict(checkRatios!, 'GrowthBook', CHECK_TARGET)}`,
    `- stored user, \`snapshotNow(…).isEnabled\`: ${ratioVerdict(nowRatios!, 'GrowthBook', CHECK_TARGET)}`,
    `- visitor, \`checkFlag\`: ${ratioVerdict(visitorCheckRatios!, 'GrowthBook', CHECK_TARGET)}`,
    `- visitor, \`snapshotNow(…).isEnabled\`: ${ratioVerdict(visitorNowRatios!, 'GrowthBook', CHECK_TARGET)}`,
  ];
}

async function variationSection({ flagwire, growthBook, featBit }: PeerClients): Promise<string[]> {
  const visitors = visitorInputs();
  const at = (i: number) => visitors[i & (INPUTS - 1)]!;
  const growthBookTask: Task = { name: 'GrowthBook `getFeatureValue(\'headline\', \'control\', { attributes })`', run: (i) => growthBook.getFeatureValue('headline', 'control', at(i).attributes) };
  const variationTask: Task = { name: 'flagwire `await variation(ctx, \'headline\', \'control\')`', async: true, run: (i) => flagwire.variation(at(i).context, 'headline', 'control') };
  const nowTask: Task = { name: 'flagwire `snapshotNow(ctx)!.variation(\'headline\', \'control\')` (synchronous)', run: (i) => flagwire.snapshotNow(at(i).context)!.variation('headline', 'control') };
  const featBitTask: Task = { name: 'FeatBit Node SDK `await stringVariation(\'headline\', user, \'control\')`', async: true, run: (i) => featBit.stringVariation('headline', at(i).featBitUser, 'control') };
  const results = await measure([growthBookTask, variationTask, nowTask, featBitTask]);
  const [variationRatios, nowRatios] = await pairedRatios(growthBookTask, [variationTask, nowTask]);
  return [
    '',
    '### 5. `variation()` on a three-way flag',
    '',
    '"headline" as in bench/variants.ts: control/bold/question 34/33/33 by user key, `bold` when `user.country = DE`. Visitors',
    `\`{ user: { key } }\` with a request-time country (GrowthBook: \`{ id, country }\`), ${INPUTS} rotated, on the same 1,000-user client.`,
    '',
    ...table(results),
    '',
    'Paired runs (median run), time per call over GrowthBook `getFeatureValue`:',
    `- \`variation()\`: ${ratioVerdict(variationRatios!, 'GrowthBook', VARIATION_TARGET)}`,
    `- \`snapshotNow(…).variation\`: ${ratioVerdict(nowRatios!, 'GrowthBook', VARIATION_TARGET)}`,
  ];
}

/** Items 3 and 5, after checking that both SDKs agree on every input they are timed on. */
export async function checksSection(clients: PeerClients, users: readonly StoredUser[]): Promise<string[]> {
  const compared = await checkOnOffAgree(clients, users);
  const shares = await checkHeadlineAgree(clients, HEADLINE_KEYS);
  const share = (counts: Record<string, number>) => ['control', 'bold', 'question'].map((v) => `${(((counts[v] ?? 0) / HEADLINE_KEYS) * 100).toFixed(1)}%`).join(' / ');
  return [
    `Checked first: flagwire (\`checkFlag\`, \`snapshotNow\`), GrowthBook and FeatBit gave the same answer ${compared.toLocaleString('en')} times (every`,
    'stored user × each on/off flag, without and with a request-time country); "headline" served `bold` to every visitor in DE from',
    `each, and over ${HEADLINE_KEYS.toLocaleString('en')} visitors without a country flagwire split ${share(shares.flagwire)}, GrowthBook ${share(shares.growthBook)}, and FeatBit`,
    'served every visitor the variation flagwire did (same bucketing). FeatBit (its Node SDK offline, from a bootstrap) is in the tables for reference.',
    '',
    ...(await checkSection(clients, users)),
    ...(await variationSection(clients)),
  ];
}
