import { z } from 'zod';
import { closestName } from '../core/internal/closest';
import type { PathProblem } from './locator';

function unwrap(schema: z.ZodType): z.ZodType {
  let inner = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodOptional) inner = inner.unwrap() as z.ZodType;
  return inner;
}

/** The fields the object at `path` may have, found by walking the schema; none where it is not an object. */
function fieldsAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let node: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (node instanceof z.ZodObject) node = node.shape[String(segment)] as z.ZodType | undefined;
    else if (node instanceof z.ZodRecord) node = node.valueType as z.ZodType;
    else if (node instanceof z.ZodArray) node = node.element as z.ZodType;
    else return [];
    if (!node) return [];
    node = unwrap(node);
  }
  return node instanceof z.ZodObject ? Object.keys(node.shape) : [];
}

/**
 * Zod's issues as flags-file problems, in words for the people who write the file: an unknown field is
 * placed at its name, with the field it was most likely meant to be.
 */
export function schemaProblems(error: z.ZodError, schema: z.ZodType): PathProblem[] {
  return error.issues.flatMap((issue): PathProblem[] => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code !== 'unrecognized_keys') return [{ path, message: issue.message }];
    const fields = fieldsAt(schema, path);
    return issue.keys.map((key) => {
      const suggestion = closestName(key, fields);
      return { path: [...path, key], atName: true, message: `unknown field "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` };
    });
  });
}
