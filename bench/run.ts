import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { clientBench } from './client';
import { dataStreamBench } from './datastream';
import { engineBench } from './engine';
import { eventQueuesBench } from './event-queues';
import { eventsBench } from './events';
import { expressBench } from './express';
import { featbitBench } from './featbit';
import { featbitBigFrameBench } from './featbit-big-frame';
import { featbitExpressBench } from './featbit-express';
import { featbitRegexBench } from './featbit-regex';
import { featbitSyncBench } from './featbit-sync';
import { flagsFileReloadBench } from './flags-file-reload';
import { nearCacheBench } from './near-cache';
import { openFeatureBench } from './openfeature';
import { peersBench } from './peers';
import { reactSizeBench } from './react-size';
import { variantsBench } from './variants';
import { webhooksBench } from './webhooks';

/**
 * `npm run bench`: runs every benchmark and writes bench/RESULTS.md. Figures are ratios against a baseline
 * measured in the same run, because these machines are shared and noisy.
 */
const sections: string[] = [];
const started = new Date();
for (const bench of [engineBench, featbitBench, featbitRegexBench, variantsBench, openFeatureBench, clientBench, eventsBench, eventQueuesBench, dataStreamBench, featbitSyncBench, featbitBigFrameBench, nearCacheBench, webhooksBench, reactSizeBench, expressBench, featbitExpressBench, flagsFileReloadBench, peersBench]) {
  const section = await bench();
  console.log(`${section}\n`);
  sections.push(section);
}

const header = [
  '# Benchmark results',
  '',
  'Produced by `npm run bench` (which runs `tsx bench/run.ts`).',
  '',
  `- Date: ${started.toISOString()}`,
  `- Node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores)`,
  '- Shared, noisy machine: read the ratios, not the absolute times.',
  '',
];
writeFileSync(new URL('./RESULTS.md', import.meta.url), `${[...header, ...sections].join('\n')}\n`);
