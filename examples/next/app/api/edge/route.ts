import { createEdgeFlagsClient, defineFlags, snapshotFromEndpoint } from 'flagwire/edge';

// flagwire/edge: Web APIs only, for edge runtimes and Workers. Next 16 deprecates the edge runtime for
// routes (the default Node runtime serves this one), so the route shows the client itself; that it needs
// nothing from Node is checked by bundling it for a runtime without Node built-ins (test/edge).
const edgeClient = createEdgeFlagsClient({
  flags: defineFlags({ 'edge-maintenance': { default: false, description: 'Answer 503 from the edge' } }),
});

export async function GET(request: Request) {
  if (await edgeClient.checkFlag({}, 'edge-maintenance')) return new Response('down for maintenance', { status: 503 });
  // The visitor's flags: one request to the app's flags endpoint, forwarding the visitor's cookies.
  const flags = await snapshotFromEndpoint('/api/flags', request);
  return Response.json({ newDashboard: flags.isEnabled('new-dashboard') });
}
