// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlagProvider, TestFlagProvider, useEntitlement, useFlag, useFlags } from '../../src/react/index';
import { LiveFlagProvider } from '../../src/react/live';
import type { SnapshotJSON } from '../../src/server/index';
import { expectCleanHydration } from '../support/hydration';
import { LiveSocketServer } from '../support/live-socket-server';

const snapshot: SnapshotJSON = {
  v: 1,
  flags: {
    'new-editor': { value: true },
    reports: { value: false, entitlement: { valueType: 'numeric', allocation: 3, usage: 3, softLimit: null, event: 'exports', period: 'current_month', resetAt: null, exceeded: true } },
  },
};

function Page() {
  const editor = useFlag('new-editor');
  const reports = useEntitlement('reports');
  const all = useFlags();
  return (
    <main>
      <p data-testid="editor">{editor ? 'editor on' : 'editor off'}</p>
      <p data-testid="reports">{reports ? `${reports.usage}/${reports.allocation}${reports.exceeded ? ' exceeded' : ''}` : 'none'}</p>
      <p data-testid="count">{Object.keys(all).length}</p>
    </main>
  );
}

describe('FlagProvider', () => {
  const fetchSpy = vi.fn();
  beforeEach(() => {
    fetchSpy.mockReset();
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('renders the server’s values on the first render, synchronously', () => {
    render(
      <FlagProvider snapshot={snapshot}>
        <Page />
      </FlagProvider>,
    );
    expect(screen.getByTestId('editor').textContent).toBe('editor on');
    expect(screen.getByTestId('reports').textContent).toBe('3/3 exceeded');
    expect(screen.getByTestId('count').textContent).toBe('2');
  });

  it('makes no request on mount, even with an endpoint to revalidate', async () => {
    render(
      <LiveFlagProvider snapshot={snapshot} endpoint="/api/flags">
        <Page />
      </LiveFlagProvider>,
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(screen.getByTestId('editor').textContent).toBe('editor on');
  });

  it('hydrates server-rendered markup with no mismatch and no warning (values only)', () => {
    expectCleanHydration(
      <FlagProvider snapshot={snapshot}>
        <Page />
      </FlagProvider>,
    );
  });

  it('hydrates server-rendered markup with no mismatch and no warning (LiveFlagProvider, endpoint and live channel)', () => {
    expectCleanHydration(
      <LiveFlagProvider snapshot={snapshot} endpoint="/api/flags" live="ws://127.0.0.1:9/live">
        <Page />
      </LiveFlagProvider>,
    );
  });

  it('says how to fix a hook used outside the provider', () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Page />)).toThrow('[flagwire] useFlag must be used inside <FlagProvider> (or <TestFlagProvider> in tests).');
    consoleError.mockRestore();
  });

  it('reads a flag it was not sent as the default given', () => {
    function Missing() {
      return <p data-testid="missing">{String(useFlag('not-sent', true))}</p>;
    }
    render(
      <FlagProvider snapshot={snapshot}>
        <Missing />
      </FlagProvider>,
    );
    expect(screen.getByTestId('missing').textContent).toBe('true');
  });

  it('TestFlagProvider gives components values with no server', () => {
    render(
      <TestFlagProvider flags={{ 'new-editor': false, reports: { value: true } }}>
        <Page />
      </TestFlagProvider>,
    );
    expect(screen.getByTestId('editor').textContent).toBe('editor off');
  });
});

describe('LiveFlagProvider live updates (real ws server)', () => {
  let live: LiveSocketServer;
  const fetchSpy = vi.fn();

  beforeEach(async () => {
    // A fresh server per test: a socket of the previous test that has not seen its close yet is not counted.
    live = await new LiveSocketServer().start();
    fetchSpy.mockReset();
    fetchSpy.mockImplementation(async () => Response.json({ v: 1, flags: { 'new-editor': { value: false } } }));
    vi.stubGlobal('fetch', fetchSpy);
  });
  afterEach(async () => {
    cleanup();
    vi.unstubAllGlobals();
    await live.stop();
  });

  const until = async (predicate: () => boolean) => waitFor(() => expect(predicate()).toBe(true), { timeout: 5000 });

  it('revalidates exactly once per change notice and renders the new values', async () => {
    render(
      <LiveFlagProvider snapshot={snapshot} endpoint="http://app.test/api/flags" live={live.url}>
        <Page />
      </LiveFlagProvider>,
    );
    await until(() => live.sockets.size === 1);
    expect(fetchSpy).not.toHaveBeenCalled();
    live.broadcast({ type: 'flags', keys: ['new-editor'] });
    await waitFor(() => expect(screen.getByTestId('editor').textContent).toBe('editor off'));
    await new Promise((r) => setTimeout(r, 200));
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(fetchSpy.mock.calls[0]?.[0]).toBe('http://app.test/api/flags');
  });

  it('renders a variant value changed by a revalidation (v2 endpoint answer)', async () => {
    const before: SnapshotJSON = { v: 2, flags: { headline: { value: 'bold', variation: 'bold' } } };
    fetchSpy.mockImplementation(async () => Response.json({ v: 2, flags: { headline: { value: 'question', variation: 'question' } } }));
    function Headline() {
      return <h1 data-testid="headline">{useFlag('headline', 'control')}</h1>;
    }
    render(
      <LiveFlagProvider snapshot={before} endpoint="http://app.test/api/variants" live={live.url}>
        <Headline />
      </LiveFlagProvider>,
    );
    expect(screen.getByTestId('headline').textContent).toBe('bold');
    await until(() => live.sockets.size === 1);
    live.broadcast({ type: 'flags', keys: ['headline'] });
    await waitFor(() => expect(screen.getByTestId('headline').textContent).toBe('question'));
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('takes a newer snapshot from the server over an earlier revalidation, and an answer cached by an earlier mount never replaces it', async () => {
    const server = (value: boolean): SnapshotJSON => ({ v: 2, flags: { 'new-editor': { value } } });
    const first = server(true);
    const tree = (s: SnapshotJSON) => (
      <LiveFlagProvider snapshot={s} endpoint="http://app.test/api/flags" live={live.url}>
        <Page />
      </LiveFlagProvider>
    );
    const { rerender, unmount } = render(tree(first));
    await until(() => live.sockets.size === 1);
    live.broadcast({ type: 'flags', keys: ['new-editor'] });
    await waitFor(() => expect(screen.getByTestId('editor').textContent).toBe('editor off'));
    // A navigation brings the server's newer values: they replace what the endpoint answered before.
    rerender(tree(server(true)));
    expect(screen.getByTestId('editor').textContent).toBe('editor on');
    unmount();
    await until(() => live.sockets.size === 0);
    // Mounted again (another page): the server's values, not the endpoint's earlier answer.
    render(tree(server(true)));
    await until(() => live.sockets.size === 1);
    expect(screen.getByTestId('editor').textContent).toBe('editor on');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('leaves no socket and no reconnect timer behind after unmount', async () => {
    const { unmount } = render(
      <LiveFlagProvider snapshot={snapshot} endpoint="/api/flags" live={live.url}>
        <Page />
      </LiveFlagProvider>,
    );
    await until(() => live.sockets.size === 1);
    unmount();
    await until(() => live.sockets.size === 0);
    await new Promise((r) => setTimeout(r, 1200)); // past the first reconnect delay
    expect(live.sockets.size).toBe(0);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('mounts cleanly under StrictMode: one live socket, no request', async () => {
    render(
      <StrictMode>
        <LiveFlagProvider snapshot={snapshot} endpoint="/api/flags" live={live.url}>
          <Page />
        </LiveFlagProvider>
      </StrictMode>,
    );
    await until(() => live.sockets.size >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(live.sockets.size).toBe(1);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(screen.getByTestId('editor').textContent).toBe('editor on');
  });
});
