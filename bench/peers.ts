import { pathToFileURL } from 'node:url';
import { ensureBuilt, runBuiltChild } from './peers/built-child';
import { coldStartSection } from './peers/cold-start';
import { memorySection } from './peers/memory';

/**
 * flagwire beside GrowthBook on the figures issue 22 sets targets for: memory per stored user, cold start,
 * one check with request-time attributes, a first snapshot of a user, and `variation()` on a three-way flag.
 * Only flagwire's public entry is used ('flagwire/server'), so the bench survives the sources moving, and every
 * figure is taken in a child process on the built package (dist/, rebuilt first when older than src/), as apps
 * run it. The same flags and users serve every part (peers/fixtures.ts), and the SDKs are checked to give the
 * same answers before anything is timed.
 */
export async function peersBench(): Promise<string> {
  ensureBuilt();
  const memory = await memorySection();
  const coldStart = await coldStartSection();
  const inProcess = JSON.parse((await runBuiltChild('./in-process-child.ts', [])).trim().split('\n').at(-1) ?? '[]') as string[];
  return [
    '## Peers: flagwire beside GrowthBook (issue 22\'s targets)',
    '',
    'GrowthBook 1.8 (`GrowthBookClient`, its multi-user server client, from a payload: no network, no tracking callback)',
    'on the same five flags: four on/off flags on one user attribute each (`role`, `beta`, `logins`, and `country` given',
    'with the request) and "headline", the three-way flag of bench/variants.ts. Ratios are flagwire\'s time over',
    'GrowthBook\'s, measured side by side in the same run. FeatBit\'s Node SDK (offline, from a bootstrap) is beside them for',
    'reference where it has a part (it keeps no users: no memory or first-snapshot figure). flagwire is its built',
    'package throughout (tsx would compile the sources with keepNames, which adds a call to each closure made per check).',
    '',
    ...memory,
    ...coldStart,
    ...inProcess,
  ].join('\n');
}

// `npx tsx bench/peers.ts` runs this bench alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await peersBench());
