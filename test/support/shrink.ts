/**
 * Shrinks a failing JSON case: removes object fields and array items one at a time while the failure
 * persists, until nothing more can go. What is left is the smallest input that still shows the problem.
 */
type Path = (string | number)[];

function paths(value: unknown, prefix: Path = [], into: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      into.push([...prefix, i]);
      paths(item, [...prefix, i], into);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.push([...prefix, key]);
      paths(item, [...prefix, key], into);
    }
  }
  return into;
}

function without<T>(value: T, path: Path): T {
  const copy = structuredClone(value);
  let parent: unknown = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[step];
  const last = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) parent.splice(last as number, 1);
  else delete (parent as Record<string, unknown>)[last];
  return copy;
}

export function shrink<T>(
  failing: T,
  stillFails: (candidate: T) => boolean,
  { keep = [] as string[], maxAttempts = 5000 } = {},
): T {
  let current = failing;
  let attempts = 0;
  let progressed = true;
  while (progressed && attempts < maxAttempts) {
    progressed = false;
    // Deepest paths last, so whole subtrees go before their parts.
    for (const path of paths(current)) {
      if (path.length === 1 && keep.includes(String(path[0]))) continue;
      if (attempts++ >= maxAttempts) break;
      const candidate = without(current, path);
      if (stillFails(candidate)) {
        current = candidate;
        progressed = true;
        break;
      }
    }
  }
  return current;
}
