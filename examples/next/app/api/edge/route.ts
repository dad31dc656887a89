import { createEdgeFlagsClient, defineFlags, snapshotFromEndpoint } from 'flagwire/edge';

// The edge runtime: Web APIs only. The full client (flags file, live updates) stays on Node.
export const runtime = 'edge';

// Flags declared in code are evaluated right here by the same engine: a kill switch needs no round trip.
const edgeClient = createEdgeFlagsClient({
  flags: defineFlags({ 'edge-maintenance': { default: false, description: 'Answer 503 from the edge' } }),
});

declare const EdgeRuntime: string | undefined;

export async function GET(request: Request) {
  if (await edgeClient.checkFlag({}, 'edge-maintenance')) return new Response('down for maintenance', { status: 503 });
  // The visitor's flags: one request to the app's flags endpoint, forwarding the visitor's cookies.
  const flags = await snapshotFromEndpoint('/api/flags', request);
  return Response.json({
    runtime: typeof EdgeRuntime === 'string' ? EdgeRuntime : 'node',
    newDashboard: flags.isEnabled('new-dashboard'),
  });
}
