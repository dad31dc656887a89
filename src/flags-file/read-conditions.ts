import type { ComparableType } from '../evaluators/schematic/engine';
import type { PathProblem } from './locator';
import { traitDefinitionId, typeOf } from './compile-conditions';
import { type Expression, ExpressionError, parseExpression } from './expression';
import { segmentReference, unknownSegment } from './segments';

/**
 * Reading the conditions of a flags file: for compiling it, and for reporting their problems beside the schema's
 * when the file fails its schema check, so a writer fixes everything in one round.
 */
type Path = readonly (string | number)[];

/** A `when` as its conditions, each with its path in the file. */
export function whenItems(when: string | readonly string[] | undefined, path: Path): { text: string; path: Path }[] {
  if (when === undefined) return [];
  return typeof when === 'string' ? [{ text: when, path }] : when.map((text, i) => ({ text, path: [...path, i] }));
}

/** The parts of a flags file that hold conditions: segments, and flags' rules. */
export interface FileConditions {
  readonly segments: Readonly<Record<string, { readonly when?: string | readonly string[] | undefined }>>;
  readonly flags: Readonly<Record<string, { readonly rules: readonly { readonly when?: string | readonly string[] | undefined }[] }>>;
}

/**
 * Every condition of the file read, segments inlined, and each trait's type settled (so entities and
 * conditions agree): the expressions of each flag's rules, in order. Problems are added to `problems`.
 */
export function readConditions(file: FileConditions, problems: PathProblem[]) {
  const traitTypes = new Map<string, { type: ComparableType; path: Path }>();
  const read = (text: string, path: Path): Expression[] => {
    try {
      const expression = parseExpression(text);
      if (expression.kind === 'trait') {
        const id = traitDefinitionId(expression.entity, expression.trait);
        const types = new Set(expression.values.map(typeOf));
        const type = types.size === 1 ? ([...types][0] as ComparableType) : 'string';
        const seen = traitTypes.get(id);
        if (seen && seen.type !== type) {
          problems.push({ path, message: `${id} is compared as ${type} here but as ${seen.type} at ${seen.path.join('.')}` });
        } else traitTypes.set(id, { type, path });
      }
      return [expression];
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push({ path, message: error.message });
      return [];
    }
  };
  // The segment a condition names, null for any other condition, false for a reference that cannot be read (reported).
  const reference = (text: string, path: Path): string | null | false => {
    try {
      return segmentReference(text);
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      problems.push({ path, message: error.message });
      return false;
    }
  };

  const segments = new Map<string, Expression[]>();
  for (const [name, segment] of Object.entries(file.segments)) {
    const items = whenItems(segment.when, ['segments', name, 'when']);
    const expressions = items.flatMap(({ text, path }) => {
      const named = reference(text, path);
      if (named === null) return read(text, path);
      if (named !== false) problems.push({ path, message: 'a segment cannot name another segment: list its conditions here' });
      return [];
    });
    segments.set(name, expressions);
  }
  const segmentNames = [...segments.keys()];

  const rules = new Map<string, Expression[][]>();
  for (const [key, flag] of Object.entries(file.flags)) {
    const ruleExpressions = flag.rules.map((rule, r) =>
      whenItems(rule.when, ['flags', key, 'rules', r, 'when']).flatMap(({ text, path }) => {
        const name = reference(text, path);
        if (name === null) return read(text, path);
        if (name === false) return [];
        const inlined = segments.get(name);
        if (inlined === undefined) problems.push({ path, message: unknownSegment(name, segmentNames) });
        return inlined ?? [];
      }),
    );
    rules.set(key, ruleExpressions);
  }
  return { rules, traitTypes };
}

/** What is wrong with the conditions of a file whose schema check failed: those with the shape to be read are. */
export function conditionProblems(json: unknown): PathProblem[] {
  const problems: PathProblem[] = [];
  readConditions(conditionsOf(json), problems);
  return problems;
}

/** The conditions of a file not known to be valid: a part of the wrong shape is left out (the schema reports it). */
function conditionsOf(json: unknown): FileConditions {
  const file = recordOf(json);
  const segments = Object.entries(recordOf(file.segments)).map(([name, segment]) => [name, { when: whenOf(recordOf(segment).when) }]);
  const flags = Object.entries(recordOf(file.flags)).map(([key, flag]) => {
    const rules = recordOf(flag).rules;
    // Every rule keeps its place: its index is in the paths of its conditions.
    return [key, { rules: Array.isArray(rules) ? rules.map((rule) => ({ when: whenOf(recordOf(rule).when) })) : [] }];
  });
  return { segments: Object.fromEntries(segments), flags: Object.fromEntries(flags) };
}

function recordOf(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function whenOf(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;
}
