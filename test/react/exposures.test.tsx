// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlagProvider, useFlag, useFlagDetail, useFlags } from '../../src/react/index';
import type { SnapshotJSON } from '../../src/server/index';

const served = (headline: string, pv?: string): SnapshotJSON => ({
  v: 2,
  flags: { headline: { value: headline, variation: headline }, 'new-editor': { value: true }, unused: { value: true } },
  ...(pv === undefined ? {} : { pv }),
});

interface Report {
  pageView: string;
  exposures: { flag: string; value: unknown; variation: string | null }[];
}

let reports: Report[];
beforeEach(() => {
  reports = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init: RequestInit) => {
      reports.push(JSON.parse(String(init.body)) as Report);
      return new Response(null, { status: 204 });
    }),
  );
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function Headline() {
  return <h1 data-testid="headline">{useFlag('headline', 'control')}</h1>;
}
function Editor() {
  const detail = useFlagDetail('new-editor');
  return <p>{detail?.value ? 'editor' : 'no editor'}</p>;
}
function Page() {
  return (
    <>
      <Headline />
      <Headline />
      <Editor />
    </>
  );
}

/** Lets effects and the reporter's batch (a zero timeout) run. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 10)));

describe('exposures from React', () => {
  it('reports each flag shown once per page view, under StrictMode, however often it renders', async () => {
    const view = render(
      <StrictMode>
        <FlagProvider snapshot={served('bold', 'server-page-view-1')} exposures="/api/flagwire/exposures">
          <Page />
        </FlagProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]?.pageView).toBe('server-page-view-1');
    expect(reports[0]?.exposures).toEqual([
      { flag: 'headline', value: 'bold', variation: 'bold' },
      { flag: 'new-editor', value: true, variation: null },
    ]);
    expect(vi.mocked(fetch).mock.calls[0]?.[0]).toBe('/api/flagwire/exposures');
    // Re-rendered with fresh values that are the same (a refetch, a refresh): nothing more.
    view.rerender(
      <StrictMode>
        <FlagProvider snapshot={served('bold', 'server-page-view-2')} exposures="/api/flagwire/exposures">
          <Page />
        </FlagProvider>
      </StrictMode>,
    );
    await settle();
    expect(reports).toHaveLength(1);
    // Another variation shown on the same page (a live update) is a new exposure, of the same page view.
    view.rerender(
      <StrictMode>
        <FlagProvider snapshot={served('question', 'server-page-view-3')} exposures="/api/flagwire/exposures">
          <Page />
        </FlagProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getAllByTestId('headline')[0]?.textContent).toBe('question'));
    await waitFor(() => expect(reports).toHaveLength(2));
    expect(reports[1]).toEqual({ pageView: 'server-page-view-1', exposures: [{ flag: 'headline', value: 'question', variation: 'question' }] });
  });

  it('gives a page the server did not count (a static page) a page view of its own, and reports nothing for useFlags or without an endpoint', async () => {
    function All() {
      return <p>{Object.keys(useFlags()).length}</p>;
    }
    render(
      <FlagProvider snapshot={served('control')} exposures="/exposures">
        <All />
        <Headline />
      </FlagProvider>,
    );
    await waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]?.pageView).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(reports[0]?.exposures).toEqual([{ flag: 'headline', value: 'control', variation: 'control' }]);
    cleanup();
    render(
      <FlagProvider snapshot={served('bold', 'pv-without-endpoint')}>
        <Page />
      </FlagProvider>,
    );
    await settle();
    expect(reports).toHaveLength(1);
  });
});
