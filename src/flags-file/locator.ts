import type { Node } from 'jsonc-parser';

/** A place in the file: 1-based line and column. */
export interface Place {
  readonly line: number;
  readonly column: number;
}

export type Path = readonly (string | number)[];

/** Where a problem is in the file, as a path of object keys and array indexes. */
export interface PathProblem {
  readonly path: Path;
  readonly message: string;
  /** Placed at the property's name rather than its value: for a name that is itself the problem. */
  readonly atName?: boolean;
}

/**
 * Turns offsets and JSON paths into lines and columns in the original text. Line starts are found once and
 * each object's members indexed on first use, so locating n problems costs n lookups, not n scans of the file.
 */
export class Locator {
  private readonly lineStarts: number[] = [0];
  private readonly members = new WeakMap<Node, Map<string, Node>>();

  constructor(
    text: string,
    private readonly tree: Node | undefined,
  ) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /** The line and column of an offset. */
  offset(at: number): Place {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] as number) <= at) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: at - (this.lineStarts[low] as number) + 1 };
  }

  /**
   * Where a path is: its value, or with `atName` its property name. A path that does not exist all the way
   * (a missing field) is placed at the deepest part that does: the object it is missing from.
   */
  path(segments: Path, atName = false): Place {
    let node = this.tree;
    let found = 0;
    for (const segment of segments) {
      const child = node && this.child(node, segment);
      if (!child) break;
      node = child;
      found++;
    }
    const name = atName && found === segments.length ? node?.parent?.children?.[0] : undefined;
    return this.offset((name ?? node)?.offset ?? 0);
  }

  private child(node: Node, segment: string | number): Node | undefined {
    if (node.type === 'array') return typeof segment === 'number' ? node.children?.[segment] : undefined;
    if (node.type !== 'object' || typeof segment !== 'string') return undefined;
    let members = this.members.get(node);
    if (!members) {
      members = new Map();
      for (const property of node.children ?? []) {
        const [name, value] = property.children ?? [];
        // As jsonc-parser's findNodeAtLocation: the first of duplicate names.
        if (typeof name?.value === 'string' && value && !members.has(name.value)) members.set(name.value, value);
      }
      this.members.set(node, members);
    }
    return members.get(segment);
  }
}
