import { gzippedEntrySize, LIVE, VALUES_ONLY } from '../test/support/bundle-size';

/**
 * Browser bundle size, measured the same way for each SDK (esbuild bundle + minify, ESM, browser; react,
 * react-dom and swr external; gzip -9): the provider and one hook of each.
 */
const PEERS: [string, string][] = [
  ['Schematic React SDK 1.8.0 (SchematicProvider + useSchematicFlag)', "export { SchematicProvider, useSchematicFlag } from '@schematichq/schematic-react';"],
  ['LaunchDarkly React SDK 4.1.5 (createLDReactProvider + useBoolVariation)', "export { createLDReactProvider, useBoolVariation } from '@launchdarkly/react-sdk';"],
  ['OpenFeature React SDK 1.4.1 (OpenFeatureProvider + useBooleanFlagValue)', "export { OpenFeatureProvider, useBooleanFlagValue } from '@openfeature/react-sdk';"],
];

export async function reactSizeBench(): Promise<string> {
  const ours = await gzippedEntrySize(VALUES_ONLY);
  const live = await gzippedEntrySize(LIVE);
  const rows = [
    `| flagwire/react (FlagProvider + useFlag) | ${(ours.entry / 1024).toFixed(2)} kB |`,
    `| flagwire/react/live (LiveFlagProvider + useFlag: revalidation and live socket; swr external) | ${(live.entry / 1024).toFixed(2)} kB |`,
  ];
  for (const [name, source] of PEERS) {
    const { entry } = await gzippedEntrySize(source);
    rows.push(`| ${name} | ${(entry / 1024).toFixed(2)} kB |`);
  }
  return [
    '## React: browser bundle size',
    '',
    'esbuild `--bundle --minify --format=esm --platform=browser`, react/react-dom/swr external, gzip -9. Target: ≤ 3 kB.',
    '',
    '| entry | min + gzip |',
    '|---|---|',
    ...rows,
  ].join('\n');
}
