import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { loadFlagsText } from '../engine/index';
import { createFlagsClient, type EvaluationContext, FlagsFileError, type FlagValue, FlagwireError, type Logger } from '../server/index';
import { type ConditionExplanation } from '../engine';
import { DEFAULT_FLAGS_FILE } from '../core/options';
import { featBitUserFor } from '../evaluators/featbit/context-user';
import { closestName } from '../core/internal/closest';
import { describeOutcome, formatValue, type VariantFlag, variantCheckLines } from './describe-variant';
import { explainFeatBitLines } from './explain-featbit';
import { declaredValues, flagTypesModule } from './flag-types';
import { packageVersion } from './version';

/**
 * `flagwire`: check a flags file in CI, and ask what a flag does for a company or user.
 *
 *   flagwire validate [file]
 *   flagwire check <flag> [--company key=value]... [--user key=value]... [--attr user.name=value]... [--file path]
 *   flagwire explain <flag> [--company key=value]... [--user key=value]... [--attr user.name=value]... [--override json] [--file path]
 *   flagwire types [file] [--out path] [--check]
 *   flagwire --version
 */
const USAGE = `usage:
  flagwire validate [file]                    check a flags file; exit 1 with each problem's place
  flagwire check <flag> [options]             print the flag's value (and variation, rollout bucket), reason and rule
  flagwire explain <flag> [options]           show every rule in order and why it did or did not match
  flagwire types [file] [--out path]          write the module that types every flag key and value (Register)
  flagwire types [file] --check               exit 1 when that module is missing or out of date (for CI)
  flagwire --version                          print flagwire's version

options:
  --company key=value   a key of the company (repeatable)
  --user key=value      a key of the user (repeatable)
  --attr user.name=value | company.name=value
                        a request-time attribute (repeatable), as the app passes in context.attributes
  --override json       explain only: the value a browser's overrides cookie (the toolbar's, Flags Explorer's)
                        sets for the flag, as JSON ("bold", true, {"columns":2}); shown above the rules
  --file path           the flags file (default ${DEFAULT_FLAGS_FILE})
  --out path            where types writes its module (default: beside the file, flagwire.flags.json → flagwire.flags.d.ts)

check and explain first validate the file as validate does, and exit 1 with its problems.
A flag that is not in the file is a warning on stderr (with the name it most likely meant) and exit 1:
check still prints the value the app would get (the default), so a misspelt key fails CI.`;

type Output = (line: string) => void;

function keysFrom(pairs: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const keys: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--${flag} takes key=value, got "${pair}"`);
    keys[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return keys;
}

/** `--override` as JSON; a bare word is taken as a string (`--override bold`). */
function overrideFrom(text: string): FlagValue {
  try {
    return JSON.parse(text) as FlagValue;
  } catch {
    return text;
  }
}

/** `--attr user.country=DE` → `{ user: { country: 'DE' } }`; values stay text (conditions coerce them). */
function attributesFrom(pairs: string[] | undefined): EvaluationContext['attributes'] | undefined {
  if (!pairs || pairs.length === 0) return undefined;
  const attributes: { user: Record<string, string>; company: Record<string, string> } = { user: {}, company: {} };
  for (const pair of pairs) {
    const match = /^(user|company)\.([^=]+)=(.*)$/s.exec(pair);
    if (!match) throw new UsageError(`--attr takes user.name=value or company.name=value, got "${pair}"`);
    attributes[match[1] as 'user' | 'company'][match[2] as string] = match[3] as string;
  }
  return attributes;
}

class UsageError extends Error {}

type FlagsData = ReturnType<typeof loadFlagsText>;

/** Reads and validates the flags file, printing each problem as file:line:column; null when it is not valid. */
function readFlagsFile(file: string, err: Output): FlagsData | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    err(`${file}: ${(error as Error).message}`);
    return null;
  }
  try {
    return loadFlagsText(text, file);
  } catch (error) {
    if (!(error instanceof FlagsFileError)) throw error;
    for (const p of error.problems) err(`${file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`);
    return null;
  }
}

function validate(file: string, out: Output, err: Output): number {
  const data = readFlagsFile(file, err);
  if (!data) return 1;
  const flagCount = data.featbit ? data.featbit.flagKeys().length : data.flags.size;
  const format = data.featbit ? ' (FeatBit bootstrap)' : '';
  out(`${file}: ${flagCount} flag${flagCount === 1 ? '' : 's'}, ${data.companies.length} companies, ${data.users.length} users — valid${format}`);
  return 0;
}

/** `flagwire.flags.json` → `flagwire.flags.d.ts`, beside it. */
function defaultTypesFile(file: string): string {
  return resolve(dirname(file), `${basename(file).replace(/\.jsonc?$/i, '')}.d.ts`);
}

interface TypesRequest {
  file: string;
  /** Where the module goes; beside the file by default. */
  target: string | undefined;
  check: boolean;
}

/**
 * `flagwire types`: writes the module that registers the file's flags (keys and the values each serves); with
 * `--check`, writes nothing and exits 1 when the module on disk is not what the file gives, so CI catches a
 * flags file changed without its types.
 */
function types({ file, target: given, check }: TypesRequest, out: Output, err: Output): number {
  const data = readFlagsFile(file, err);
  if (!data) return 1;
  const target = given === undefined ? defaultTypesFile(file) : resolve(given);
  // The file as the module names it: relative and with forward slashes, so the text is the same on every machine.
  const source = relative(dirname(target), file).split(sep).join('/');
  const values = declaredValues(data);
  const text = flagTypesModule(values, source.startsWith('.') ? source : `./${source}`);
  if (check) {
    let written: string | null = null;
    try {
      written = readFileSync(target, 'utf8');
    } catch {
      // Missing: out of date as well.
    }
    if (written === text) {
      out(`${target}: up to date with ${file}`);
      return 0;
    }
    err(`${target} ${written === null ? 'is missing' : 'is out of date'}: \`flagwire types\` writes it from ${file}`);
    return 1;
  }
  writeFileSync(target, text);
  out(`${target}: ${values.size} flag${values.size === 1 ? '' : 's'} from ${file}`);
  return 0;
}

/** `no flag "x" in file`, with the flag it most likely meant. */
function unknownFlag(key: string, file: string, data: FlagsData): string {
  const suggestion = closestName(key, data.featbit ? data.featbit.flagKeys() : data.flags.keys());
  return `no flag "${key}" in ${file}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

function describeCondition({ condition: c }: ConditionExplanation): string {
  switch (c.conditionType) {
    case 'trait':
      return `${c.traitDefinition?.id ?? '(no trait)'} ${c.operator} ${JSON.stringify(c.traitValue)}`;
    case 'metric':
      return `usage of ${c.eventSubtype} (${c.metricPeriod ?? 'all_time'}) ${c.operator} ${c.metricValue ?? '(no limit)'}`;
    case 'credit':
      return `credit ${c.creditId} ${c.operator} (rate ${c.consumptionRate ?? 1})`;
    default:
      return `${c.conditionType} ${c.operator} [${c.resourceIds.join(', ')}]`;
  }
}

interface FlagQuestion {
  command: 'check' | 'explain';
  key: string;
  context: EvaluationContext;
  file: string;
  /** `--override`: the flag's value in an overrides cookie, for explain. */
  override?: FlagValue | undefined;
}

async function checkOrExplain({ command, key, context, file, override }: FlagQuestion, out: Output, err: Output): Promise<number> {
  // Validated here first: the client only logs a broken file and waits, and a CLI should say what is wrong.
  const data = readFlagsFile(file, err);
  if (!data) return 1;
  const missing = data.flags.has(key) || data.featbit?.flag(key) ? null : unknownFlag(key, file, data);
  if (missing && command === 'explain') {
    err(missing);
    return 1;
  }
  if (command === 'explain' && data.featbit) {
    if (override !== undefined) throw new UsageError('--override explains a flags file or snapshot; a FeatBit bootstrap file is explained without it');
    return explainFeatBit({ command, key, context, file }, data.featbit, out, err);
  }
  const problems: string[] = [];
  const logger: Logger = { error: (m) => problems.push(m), warn: () => {}, info: () => {}, debug: () => {} };
  const client = createFlagsClient({ flagsFile: file, watch: false, logger, startWaitMs: 5000 });
  try {
    if ((await client.ready()) !== 'ready') {
      for (const p of problems) err(p);
      return 1;
    }
    const variantFlag = data.variants.get(key);
    if (command === 'check' && (variantFlag || data.featbit)) {
      const snapshot = await client.snapshot(context);
      // The flag's own value as the default: the read can only differ from it by saying why.
      for (const line of variantCheckLines(key, snapshot.variationDetail(key, snapshot.value(key)))) out(line);
      return 0;
    }
    if (command === 'check') {
      const result = await client.checkFlagWithEntitlement(context, key);
      out(`${key}: ${result.value}`);
      out(`reason: ${result.reason}`);
      if (result.ruleId) out(`rule: ${result.ruleId} (${result.ruleType})`);
      if (result.featureUsage !== null) out(`usage: ${result.featureUsage} of ${result.featureAllocation}${result.featureUsageEvent ? ` ${result.featureUsageEvent}` : ''}${result.featureUsageResetAt ? `, resets ${result.featureUsageResetAt}` : ''}`);
      if (missing) err(missing);
      return missing ? 1 : 0;
    }
    const explanation = await client.explain(context, key, override === undefined ? undefined : { overrides: { [key]: override } });
    if (!explanation) {
      err(unknownFlag(key, file, data));
      return 1;
    }
    if (override !== undefined) {
      if (explanation.override) out(`${key}: ${formatValue(explanation.override.value)} — ${explanation.override.reason}; without it:`);
      else out(`(--override ${JSON.stringify(override)} is not a value of ${key}'s type: the browser's override would be ignored)`);
    }
    const { result, rules } = explanation;
    if (variantFlag) {
      const snapshot = await client.snapshot(context);
      const detail = snapshot.variationDetail(key, snapshot.value(key));
      const bucket = detail.bucket === null ? '' : `, bucket ${detail.bucket.toFixed(6)}`;
      out(`${key}: ${formatValue(detail.value)} (variation ${detail.variation ?? 'none'}${bucket}) — ${detail.reason}`);
      if (!variantFlag.enabled) out('  (the flag is off: every context gets its off variation)');
    } else out(`${key}: ${result.value} — ${result.reason}`);
    if (!result.companyId && context.company) out('  (no company with those keys: company conditions cannot hold)');
    if (!result.userId && context.user) out('  (no user with those keys: user conditions cannot hold)');
    rules.forEach(({ rule, outcome, unconditional, conditions }, i) => {
      const serves = variantFlag ? variantServes(variantFlag, rule.id) : String(rule.value);
      out(`${i + 1}. ${rule.ruleType} "${rule.name}" → ${serves} : ${outcome}${unconditional ? ' (applies whatever its conditions)' : ''}`);
      for (const c of conditions) out(`     ${c.verdict === 'holds' ? '✓' : c.verdict === 'fails' ? '✗' : '?'} ${c.group === null ? '' : `(any of group ${c.group + 1}) `}${describeCondition(c)}`);
    });
    if (rules.length === 0) out('  (no rules: the default value applies)');
    if (variantFlag) out(`otherwise → ${describeOutcome(variantFlag, variantFlag.fallthrough)}`);
    return 0;
  } finally {
    await client.close();
  }
}

/** `explain` on a FeatBit bootstrap file: evaluated here, on the file's own flags, with the reasons at each step. */
function explainFeatBit({ key, context }: FlagQuestion, featbit: NonNullable<FlagsData['featbit']>, out: Output, err: Output): number {
  const user = featBitUserFor(context);
  if (user === null) {
    err('FeatBit evaluates a flag for a user key: give one with --user key=... (or --company key=...)');
    return 1;
  }
  for (const line of explainFeatBitLines(key, featbit.flag(key)!, user, featbit.segments)) out(line);
  return 0;
}

/** What a compiled rule of a flag with variations serves; exceeded-limit rules serve the flag's default. */
function variantServes(flag: VariantFlag, ruleId: string): string {
  const outcome = flag.outcomes.get(ruleId);
  return outcome ? describeOutcome(flag, outcome) : `${formatValue(flag.variations[flag.defaultVariation]?.value)} (the default: limit reached)`;
}

/** Runs the CLI; returns the exit code. Output goes through `out`/`err` so tests can read it. */
export async function runCli(argv: string[], out: Output = (l) => process.stdout.write(`${l}\n`), err: Output = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        company: { type: 'string', multiple: true },
        user: { type: 'string', multiple: true },
        attr: { type: 'string', multiple: true },
        override: { type: 'string' },
        file: { type: 'string' },
        out: { type: 'string' },
        check: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    const [command, argument] = positionals;
    if (values.version) {
      out(packageVersion());
      return 0;
    }
    if (values.help || !command) {
      out(USAGE);
      return values.help ? 0 : 2;
    }
    if (command === 'validate') return validate(resolve(argument ?? values.file ?? DEFAULT_FLAGS_FILE), out, err);
    if (command === 'types') return types({ file: resolve(argument ?? values.file ?? DEFAULT_FLAGS_FILE), target: values.out, check: values.check ?? false }, out, err);
    if (command === 'check' || command === 'explain') {
      if (!argument) throw new UsageError(`${command} needs a flag key`);
      const context: EvaluationContext = {};
      const company = keysFrom(values.company, 'company');
      const user = keysFrom(values.user, 'user');
      if (company) context.company = company;
      if (user) context.user = user;
      const attributes = attributesFrom(values.attr);
      if (attributes) context.attributes = attributes;
      if (values.override !== undefined && command !== 'explain') throw new UsageError('--override is for explain');
      const override = values.override === undefined ? undefined : overrideFrom(values.override);
      return await checkOrExplain({ command, key: argument, context, file: resolve(values.file ?? DEFAULT_FLAGS_FILE), override }, out, err);
    }
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error)) {
      err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    err(error instanceof FlagwireError ? error.message : String(error));
    return 1;
  }
}
