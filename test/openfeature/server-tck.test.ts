import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { join } from 'node:path';
import { FlagwireProvider } from '../../src/openfeature/server';
import { createFlagsClient, type FlagsClient } from '../../src/server';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';
import { tckProviderEvents } from '../support/openfeature-events';
import { canonicalFlagsFile } from './tck-flags';
import { describeTck, type Declaration } from './tck-runner';
import type { FlagType, TckHarness } from './tck-steps';

const EVENTS = tckProviderEvents(ProviderEvents);

const DECLARATION: Declaration = {
  '@events': true,
  '@lifecycle': true,
  '@stale': true,
  '@configuration-change': true,
  '@object': true,
  '@variants': true,
  '@unavailable': true,
  '@large-integers': true,
  '@targeting': true,
  '@string-typing': true,
  '@fully-typed-values': true,
  '@disabled-flags': "a flag disabled in flagwire serves its off variation as configured (the default variation when none is named), not the caller's default",
  '@numeric-coercion': 'JavaScript has one number type, so an integer and a float accessor cannot be told apart (Appendix F records this for JavaScript)',
  '@reinitialization': "shutdown closes the flagwire client (delivering its queued events), and a closed client is not reopened; Requirement 2.5.2 permits this",
  '@standard-reasons': 'flagwire reports a flag that no rule decided as DEFAULT (its fallthrough), whether or not the flag has rules: it does not report STATIC',
};

let domains = 0;

/**
 * The backend is a flags file, watched: the control API's change rewrites it, and a lost connection is a file
 * that can no longer be read (a torn write), which flagwire reports as stale while serving the last good flags.
 */
function serverHarness(): TckHarness {
  const files = tempFlagsFile();
  const domain = `tck-server-${domains++}`;
  let client: FlagsClient | null = null;
  let provider: FlagwireProvider | null = null;
  const openFeature = () => OpenFeature.getClient(domain);
  const flagsFile = (overrides: Record<string, string> = {}) => JSON.stringify(canonicalFlagsFile(undefined, overrides));
  return {
    async start(kind) {
      if (kind === 'stable') files.write(flagsFile());
      const file = kind === 'stable' ? files.file : join(files.file, '..', 'unreachable.flags.json');
      client = createFlagsClient({ flagsFile: file, watch: true, startWaitMs: 1_000, logger: recordingLogger().logger });
      provider = new FlagwireProvider(client);
      // An unavailable backend rejects here, and the SDK reports ERROR: what the scenarios then observe.
      await OpenFeature.setProviderAndWait(domain, provider).catch(() => undefined);
    },
    async evaluate(type: FlagType, key, defaultValue, context) {
      const client = openFeature();
      if (type === 'Boolean') return client.getBooleanDetails(key, defaultValue as boolean, context);
      if (type === 'String') return client.getStringDetails(key, defaultValue as string, context);
      if (type === 'Object') return client.getObjectDetails(key, defaultValue as Record<string, never>, context);
      return client.getNumberDetails(key, defaultValue as number, context);
    },
    addHandler: (event, handler) => openFeature().addHandler(EVENTS[event], handler),
    status: () => openFeature().providerStatus,
    providerName: () => openFeature().metadata.providerMetadata.name,
    changeFlag: async () => files.write(flagsFile({ 'changing-flag': 'bar' })),
    loseConnection: async () => files.write('{ "flags": { "boolean-flag": '),
    restoreConnection: async () => files.write(flagsFile()),
    shutdown: async () => provider?.onClose(),
    initialize: async () => provider?.initialize(),
    async dispose() {
      await OpenFeature.clearProviders();
      await client?.close();
      files.cleanup();
    },
  };
}

describeTck('flagwire server provider (flags file)', DECLARATION, serverHarness);
