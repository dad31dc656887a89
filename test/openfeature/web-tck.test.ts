// @vitest-environment jsdom
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { afterAll, beforeAll, vi } from 'vitest';
import { FlagwireWebProvider } from '../../src/openfeature/web';
import { createFlagsClient, type FlagsClient } from '../../src/server';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';
import { LiveSocketServer } from '../support/live-socket-server';
import { tckProviderEvents } from '../support/openfeature-events';
import { canonicalFlagsFile } from './tck-flags';
import { describeTck, type Declaration } from './tck-runner';
import type { FlagType, TckHarness } from './tck-steps';

const EVENTS = tckProviderEvents(ProviderEvents);

const DECLARATION: Declaration = {
  '@events': true,
  '@stale': true,
  '@configuration-change': true,
  '@object': true,
  '@large-integers': true,
  '@string-typing': true,
  '@fully-typed-values': true,
  '@lifecycle': "initialization reaches no backend by design: the page's payload is served with no request",
  '@unavailable': "initialization makes no request when the page has its payload, so there is nothing to find unreachable",
  '@variants': "the page payload names an on/off flag's variation by its value ('true'), not by its name",
  '@targeting': 'the browser serves what the server evaluated for the session; it evaluates no rule against the context',
  '@disabled-flags': "a flag disabled in flagwire serves its off variation as configured, not the caller's default",
  '@numeric-coercion': 'JavaScript has one number type, so an integer and a float accessor cannot be told apart (Appendix F records this for JavaScript)',
  '@reinitialization': 'gated with @lifecycle, which this provider does not declare',
  '@standard-reasons': 'every value in the browser was evaluated by the server for the page: the reason is CACHED, never STATIC',
};

// The app's live channel, as flagwire's: every change notice makes the browser revalidate the endpoint.
let live: LiveSocketServer;
beforeAll(async () => {
  live = await new LiveSocketServer().start();
});
afterAll(async () => {
  for (const socket of live.sockets) socket.terminate();
  await live.stop();
});

let domains = 0;

/**
 * The backend is a flagwire server (a watched flags file) whose `snapshot().toJSON()` is the page payload and
 * the flags endpoint's answer (through a stubbed `fetch`). A lost connection is an endpoint that fails when the
 * user comes back to the tab (a focus event); restoring it, the same with an endpoint that answers again.
 */
function webHarness(): TckHarness {
  const files = tempFlagsFile(JSON.stringify(canonicalFlagsFile()));
  const domain = `tck-web-${domains++}`;
  let server: FlagsClient | null = null;
  let provider: FlagwireWebProvider | null = null;
  let reachable = true;
  const openFeature = () => OpenFeature.getClient(domain);
  const endpoint = async () => {
    if (!reachable || !server) return new Response('unreachable', { status: 503 });
    return Response.json((await server.snapshot({})).toJSON());
  };
  return {
    async start(kind) {
      if (kind === 'unavailable') throw new Error('not declared: @unavailable');
      vi.stubGlobal('fetch', vi.fn(endpoint));
      server = createFlagsClient({ flagsFile: files.file, watch: true, logger: recordingLogger().logger });
      await server.ready();
      server.subscribe((change) => live.broadcast(change));
      const page = (await server.snapshot({})).toJSON();
      provider = new FlagwireWebProvider({ snapshot: page, endpoint: '/api/flags', live: live.url });
      await OpenFeature.setProviderAndWait(domain, provider);
    },
    async evaluate(type: FlagType, key, defaultValue, context) {
      // The browser's context is global; setting it is how a page would pass one (and revalidates the endpoint).
      if (Object.keys(context).length > 0) await OpenFeature.setContext(domain, context);
      const client = openFeature();
      if (type === 'Boolean') return client.getBooleanDetails(key, defaultValue as boolean);
      if (type === 'String') return client.getStringDetails(key, defaultValue as string);
      if (type === 'Object') return client.getObjectDetails(key, defaultValue as Record<string, never>);
      return client.getNumberDetails(key, defaultValue as number);
    },
    addHandler: (event, handler) => openFeature().addHandler(EVENTS[event], handler),
    status: () => openFeature().providerStatus,
    providerName: () => openFeature().metadata.providerMetadata.name,
    async changeFlag() {
      // The browser hears of the change on the live channel: wait for its socket before changing the flag.
      for (let waited = 0; live.sockets.size === 0 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      files.write(JSON.stringify(canonicalFlagsFile(undefined, { 'changing-flag': 'bar' })));
    },
    async loseConnection() {
      reachable = false;
      window.dispatchEvent(new Event('focus'));
    },
    async restoreConnection() {
      reachable = true;
      window.dispatchEvent(new Event('focus'));
    },
    shutdown: async () => provider?.onClose(),
    initialize: async () => provider?.initialize(),
    async dispose() {
      await OpenFeature.clearProviders();
      await server?.close();
      vi.unstubAllGlobals();
      files.cleanup();
    },
  };
}

describeTck('flagwire web provider (page payload, endpoint and live channel)', DECLARATION, webHarness);
