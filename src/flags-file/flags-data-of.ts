import { parseCompany, parseFlag, type ParsedFlag, parseUser, type WireFlag } from '../evaluators/schematic/engine';
import type { CompiledFlags } from './compile';
import type { FlagsData } from './flags-data';
import { locatedParser } from './located-parse';
import type { PathProblem } from './locator';

/**
 * A compiled file as FlagsData: flags parsed for the engine (each once), and a snapshot's companies and users
 * checked by parsing them. `fail` is given every problem found, and throws.
 */
export function toFlagsData(compiled: CompiledFlags, format: 'concise' | 'snapshot', fail: (problems: readonly PathProblem[]) => never): FlagsData {
  const { parseAt, problems } = locatedParser();
  const flags = new Map<string, ParsedFlag>();
  const wireFlags = new Map<string, WireFlag>();
  compiled.flags.forEach((wire, i) => {
    // In the concise format flags are keyed by name; in a snapshot they are a list.
    const prefix = format === 'concise' ? ['flags', wire.key] : ['flags', i];
    const parsed = parseAt(prefix, () => parseFlag(wire));
    if (parsed === null) return;
    if (flags.has(parsed.key)) problems.push({ path: [...prefix, 'key'], message: `flag key "${parsed.key}" appears twice` });
    flags.set(parsed.key, parsed);
    wireFlags.set(parsed.key, wire);
  });
  compiled.companies.forEach((wire, i) => parseAt(['companies', i], () => parseCompany(wire)));
  // A concise file's users were validated by its schema and compiled by flagwire, which only writes well-formed
  // users: they are parsed once, into the store. A snapshot's come as Schematic's wire form and are checked here.
  if (format === 'snapshot') compiled.users.forEach((wire, i) => parseAt(['users', i], () => parseUser(wire)));
  if (problems.length > 0) return fail(problems);
  const variants = new Map(compiled.variants.map((variant) => [variant.key, variant]));
  const keysAsAttributes = format === 'concise';
  return { flags, wireFlags, companies: compiled.companies, users: compiled.users, clientKeys: new Set(compiled.clientKeys), variants, descriptions: new Map(compiled.descriptions), featbit: null, keysAsAttributes, entityPrints: compiled.prints };
}
