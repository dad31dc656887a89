/**
 * A small Gherkin reader, enough for OpenFeature's provider TCK: Feature, Background, Scenario, Scenario Outline
 * with Examples (titled, tagged, several), tags (inherited from the feature and the examples block), data tables
 * and comments. Anything else (Rule, doc strings) is refused by name rather than misread.
 */

export interface Step {
  readonly keyword: string;
  readonly text: string;
  /** The step's data table, header row first. */
  readonly table: readonly (readonly string[])[] | null;
}

export interface Scenario {
  readonly feature: string;
  readonly name: string;
  /** The feature's tags, the scenario's and, for an outline's row, its examples block's. */
  readonly tags: readonly string[];
  /** Background steps first, then the scenario's, with `<placeholders>` filled in for outline rows. */
  readonly steps: readonly Step[];
}

interface Outline {
  name: string;
  tags: string[];
  steps: MutableStep[];
  isOutline: boolean;
  examples: { title: string; tags: string[]; rows: string[][] }[];
}

interface MutableStep {
  keyword: string;
  text: string;
  table: string[][] | null;
}

const STEP = /^(Given|When|Then|And|But|\*)\s+(.*)$/;
const SCENARIO = /^(Scenario Outline|Scenario Template|Scenario|Example):\s*(.*)$/;

/** Every runnable scenario of one feature file, outlines expanded one scenario per examples row. */
export function parseFeature(text: string, source = 'feature'): Scenario[] {
  let feature: { name: string; tags: string[] } | null = null;
  const background: MutableStep[] = [];
  const outlines: Outline[] = [];
  let pendingTags: string[] = [];
  let steps: MutableStep[] | null = null;
  let examples: Outline['examples'][number] | null = null;

  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    const where = `${source}:${index + 1}`;
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('@')) {
      pendingTags.push(...line.split(/\s+/).filter((tag) => tag.startsWith('@')));
      return;
    }
    if (line.startsWith('|')) {
      const cells = tableCells(line, where);
      if (examples) examples.rows.push(cells);
      else {
        const last = steps?.at(-1);
        if (!last) throw new Error(`${where}: a table row belongs to a step or to Examples`);
        (last.table ??= []).push(cells);
      }
      return;
    }
    const feat = /^Feature:\s*(.*)$/.exec(line);
    if (feat) {
      feature = { name: feat[1] as string, tags: takeTags() };
      return;
    }
    if (/^Background:/.test(line)) {
      steps = background;
      examples = null;
      return;
    }
    const scenario = SCENARIO.exec(line);
    if (scenario) {
      const outline: Outline = { name: scenario[2] as string, tags: takeTags(), steps: [], isOutline: scenario[1]!.includes('Outline') || scenario[1]!.includes('Template'), examples: [] };
      outlines.push(outline);
      steps = outline.steps;
      examples = null;
      return;
    }
    const examplesHeader = /^(Examples|Scenarios):\s*(.*)$/.exec(line);
    if (examplesHeader) {
      const outline = outlines.at(-1);
      if (!outline?.isOutline) throw new Error(`${where}: Examples outside a Scenario Outline`);
      examples = { title: examplesHeader[2] as string, tags: takeTags(), rows: [] };
      outline.examples.push(examples);
      return;
    }
    const step = STEP.exec(line);
    if (step) {
      if (!steps || examples) throw new Error(`${where}: a step outside a scenario or background`);
      steps.push({ keyword: step[1] as string, text: step[2] as string, table: null });
      return;
    }
    throw new Error(`${where}: this reader does not understand "${line}" (Rule and doc strings are not supported)`);
  });

  function takeTags(): string[] {
    const tags = pendingTags;
    pendingTags = [];
    return tags;
  }

  const parsed = feature as { name: string; tags: string[] } | null;
  if (!parsed) throw new Error(`${source}: no Feature`);
  return outlines.flatMap((outline) => expand(parsed, background, outline, source));
}

function expand(feature: { name: string; tags: string[] }, background: readonly MutableStep[], outline: Outline, source: string): Scenario[] {
  const base = { feature: feature.name };
  if (!outline.isOutline) return [{ ...base, name: outline.name, tags: [...feature.tags, ...outline.tags], steps: [...background, ...outline.steps] }];
  if (outline.examples.length === 0) throw new Error(`${source}: Scenario Outline "${outline.name}" has no Examples`);
  return outline.examples.flatMap((block) => {
    const [header, ...rows] = block.rows;
    if (!header) throw new Error(`${source}: an Examples block of "${outline.name}" has no header row`);
    return rows.map((row) => {
      const values = new Map(header.map((name, i) => [name, row[i] ?? '']));
      const fill = (text: string) => text.replace(/<([^<>]+)>/g, (whole, name: string) => values.get(name) ?? whole);
      const label = `${block.title ? `${block.title}: ` : ''}${row.join(' | ')}`;
      return {
        ...base,
        name: `${outline.name} [${label}]`,
        tags: [...feature.tags, ...outline.tags, ...block.tags],
        steps: [...background, ...outline.steps.map((step) => ({ ...step, text: fill(step.text), table: step.table?.map((cells) => cells.map(fill)) ?? null }))],
      };
    });
  });
}

/** The cells of `| a | b \| c |`, with Gherkin's escapes (`\|`, `\\`, `\n`) undone. */
function tableCells(line: string, where: string): string[] {
  if (!line.endsWith('|') || line.length < 2) throw new Error(`${where}: a table row ends with |`);
  const cells: string[] = [];
  let cell = '';
  for (let i = 1; i < line.length; i++) {
    const char = line[i] as string;
    if (char === '\\' && i + 1 < line.length) {
      const next = line[++i] as string;
      cell += next === 'n' ? '\n' : next;
    } else if (char === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  return cells;
}
