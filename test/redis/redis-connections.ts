import type { createClient } from 'redis';

type Admin = ReturnType<typeof createClient>;

/** The ids of connections named `name` (node-redis names each connection it opens), pub/sub ones only when asked. */
export async function connectionIds(admin: Admin, name: string, { subscribers = false } = {}): Promise<string[]> {
  const list = await admin.sendCommand<string>(['CLIENT', 'LIST']);
  return list
    .split('\n')
    .map((line) => Object.fromEntries(line.split(' ').map((field) => field.split('=') as [string, string])))
    .filter((fields) => fields.name === name && (!subscribers || Number(fields.sub ?? 0) > 0))
    .map((fields) => fields.id as string);
}

/** Kills the named process's pub/sub connections with CLIENT KILL ID: only these, so other tests sharing Redis are untouched. */
export async function killSubscribers(admin: Admin, name: string): Promise<number> {
  const ids = await connectionIds(admin, name, { subscribers: true });
  for (const id of ids) await admin.sendCommand(['CLIENT', 'KILL', 'ID', id]);
  return ids.length;
}

export async function waitFor(predicate: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
