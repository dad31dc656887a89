import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IFbClient } from '@featbit/node-server-sdk';
import { GrowthBookClient } from '@growthbook/growthbook';
import { createFlagsClient, type FlagsClient } from 'flagwire/server';
import { featBitClient } from './featbit';
import { flagsFileText, GROWTHBOOK_PAYLOAD, type StoredUser } from './fixtures';

const LOAD_WAIT_MS = 120_000;

/** flagwire on a flags file holding `users`, and GrowthBook and FeatBit on the same flags, all ready to answer. */
export interface PeerClients {
  flagwire: FlagsClient;
  growthBook: GrowthBookClient;
  featBit: IFbClient;
  close(): Promise<void>;
}

/** A flags file of its own in a temporary folder, removed with `close()`. */
export async function flagwireOnFile(users: readonly StoredUser[], flags?: object): Promise<{ client: FlagsClient; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-peers-'));
  const file = join(dir, 'flagwire.flags.json');
  writeFileSync(file, flagsFileText(users, flags));
  // Loading thousands of users takes seconds on a busy machine: wait for it rather than start on defaults.
  const client = createFlagsClient({ flagsFile: file, watch: false, logLevel: 'error', startWaitMs: LOAD_WAIT_MS });
  if ((await client.ready()) !== 'ready') throw new Error('the bench client did not load its flags file');
  return {
    client,
    close: async () => {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GrowthBook as a server calls it: one multi-user client from a payload, no tracking callback (its cheapest). */
export function growthBookClient(): GrowthBookClient {
  return new GrowthBookClient().initSync({ payload: GROWTHBOOK_PAYLOAD });
}

export async function peerClients(users: readonly StoredUser[], flags?: object): Promise<PeerClients> {
  const flagwire = await flagwireOnFile(users, flags);
  const growthBook = growthBookClient();
  const featBit = await featBitClient();
  return {
    flagwire: flagwire.client,
    growthBook,
    featBit,
    close: async () => {
      growthBook.destroy();
      await Promise.all([flagwire.close(), featBit.close()]);
    },
  };
}
