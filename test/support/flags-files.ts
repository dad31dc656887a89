import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFlagsText } from '../../src/engine/index';
import { type ChangeEvent, type ClientStatus, type FlagsClient, FlagsFileError } from '../../src/server/index';

/** A temporary directory holding one flags file, removed by `cleanup()`. */
export function tempFlagsFile(content?: unknown): { file: string; write: (content: unknown) => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-'));
  const file = join(dir, 'flagwire.flags.json');
  const write = (next: unknown) => writeFileSync(file, typeof next === 'string' ? next : JSON.stringify(next, null, 2));
  if (content !== undefined) write(content);
  return { file, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves with the next event the client emits of that kind, or rejects after `ms`. */
export function nextEvent<E extends 'change' | 'status' | 'error'>(
  client: FlagsClient,
  event: E,
  ms = 5000,
): Promise<E extends 'change' ? ChangeEvent : E extends 'status' ? ClientStatus : Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} event within ${ms} ms`));
    }, ms);
    const off = client.on(event, ((payload: never) => {
      clearTimeout(timer);
      off();
      resolve(payload);
    }) as never);
  });
}

/** A logger that remembers what it was told, so tests can assert (and silence) log output. */
export function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

/** The flags file most client tests start from. */
export const SAMPLE_FLAGS = {
  flags: {
    'advanced-reports': {
      description: 'Reports on the Pro plan, up to 3 exports a month',
      client: true,
      rules: [
        { name: 'Pro plan', type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports per month < 3'] },
      ],
    },
    'new-editor': {
      client: true,
      rules: [{ when: 'user.role in [admin, owner]' }, { when: 'company.seats >= 50' }],
    },
    'internal-tools': { rules: [{ when: 'company.id = acme' }] },
  },
  companies: [
    { keys: { domain: 'acme.test' }, id: 'acme', name: 'Acme', plan: 'pro', traits: { seats: 12 }, usage: { exports: 1 } },
    { keys: { domain: 'globex.test' }, name: 'Globex', plan: 'free', traits: { seats: 80 } },
  ],
  users: [
    { keys: { email: 'ada@acme.test' }, traits: { role: 'admin' } },
    { keys: { email: 'bob@acme.test' }, traits: { role: 'viewer' } },
  ],
};

/** Each problem `loadFlagsText` reports for `text`, as `line:column path: message`; none when it loads. */
export function problemsOf(text: string): string[] {
  try {
    loadFlagsText(text, 'flags.json');
  } catch (error) {
    if (error instanceof FlagsFileError) return error.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}
