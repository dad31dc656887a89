import { pathToFileURL } from 'node:url';
import { checksSection } from './peers/checks';
import { peerClients } from './peers/clients';
import { coldStartSection } from './peers/cold-start';
import { storedUsers } from './peers/fixtures';
import { firstSnapshotSection } from './peers/first-snapshot';
import { memorySection } from './peers/memory';

/**
 * flagwire beside GrowthBook on the figures issue 22 sets targets for: memory per stored user, cold start,
 * one check with request-time attributes, a first snapshot of a user, and `variation()` on a three-way flag.
 * Only flagwire's public entries are used ('flagwire/server': the sources under tsx, the built package under
 * plain node), so the bench survives the sources moving. The same flags and users serve every part
 * (peers/fixtures.ts), and both SDKs are checked to give the same answers before anything is timed.
 */
const CLIENT_USERS = 1000;

export async function peersBench(): Promise<string> {
  const memory = await memorySection();
  const coldStart = await coldStartSection();
  const users = storedUsers(CLIENT_USERS);
  const clients = await peerClients(users);
  let checks: string[];
  try {
    checks = await checksSection(clients, users);
  } finally {
    await clients.close();
  }
  const firstSnapshot = await firstSnapshotSection();
  return [
    '## Peers: flagwire beside GrowthBook (issue 22\'s targets)',
    '',
    'GrowthBook 1.8 (`GrowthBookClient`, its multi-user server client, from a payload: no network, no tracking callback)',
    'on the same five flags: four on/off flags on one user attribute each (`role`, `beta`, `logins`, and `country` given',
    'with the request) and "headline", the three-way flag of bench/variants.ts. Ratios are flagwire\'s time over',
    'GrowthBook\'s, measured side by side in the same run. FeatBit\'s Node SDK (offline, from a bootstrap) is beside them for',
    'reference where it has a part (it keeps no users: no memory or first-snapshot figure).',
    '',
    ...memory,
    ...coldStart,
    '',
    `### 3–5. Checks on a client holding ${CLIENT_USERS.toLocaleString('en')} users from its flags file`,
    '',
    ...checks,
    ...firstSnapshot,
  ].join('\n');
}

// `npx tsx bench/peers.ts` runs this bench alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await peersBench());
