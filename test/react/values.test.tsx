// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlagProvider, TestFlagProvider, useFlag, useFlagDetail, useFlags } from '../../src/react/index';
import { EMPTY_SNAPSHOT, isSnapshot } from '../../src/browser/flag-store';
import { FlagsSnapshot, type SnapshotJSON } from '../../src/server/index';
import { createTestClient } from '../../src/testing/index';
import { expectCleanHydration } from '../support/hydration';

// Flags with variations as the server's `toJSON()` (v2) writes them: the value, and the variation's name.
const v2: SnapshotJSON = {
  v: 2,
  flags: {
    'new-editor': { value: true },
    headline: { value: 'bold', variation: 'bold' },
    'page-size': { value: 25, variation: '25' },
    layout: { value: { columns: 2, dense: false }, variation: 'wide' },
  },
};

function Values() {
  const headline = useFlag('headline', 'control');
  const pageSize = useFlag('page-size', 10);
  const layout = useFlag('layout', { columns: 1, dense: true });
  const editor = useFlag('new-editor');
  return (
    <main>
      <h1 data-testid="headline">{headline}</h1>
      <p data-testid="page-size">{pageSize * 2}</p>
      <p data-testid="layout">{`${layout.columns} columns${layout.dense ? ', dense' : ''}`}</p>
      <p data-testid="editor">{String(editor)}</p>
    </main>
  );
}

const text = (id: string) => screen.getByTestId(id).textContent;

/** Renders one hook read and shows it as JSON, so every value type (and `false`) is visible. */
function Read({ read }: { read: () => unknown }) {
  return <output data-testid="read">{JSON.stringify(read())}</output>;
}

function renderRead(snapshot: SnapshotJSON | null, read: () => unknown) {
  render(
    <FlagProvider snapshot={snapshot}>
      <Read read={read} />
    </FlagProvider>,
  );
  return JSON.parse(text('read') ?? 'null') as unknown;
}

describe('flag values beyond on/off', () => {
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('renders string, number and JSON flags of a v2 payload on the first render, synchronously', () => {
    render(
      <FlagProvider snapshot={v2}>
        <Values />
      </FlagProvider>,
    );
    expect(text('headline')).toBe('bold');
    expect(text('page-size')).toBe('50');
    expect(text('layout')).toBe('2 columns');
    expect(text('editor')).toBe('true');
  });

  it('renders what a test client (flagwire/testing) serves: one definition for server and component tests', async () => {
    const client = createTestClient({ headline: 'question', 'page-size': 50, layout: { columns: 3, dense: true }, 'new-editor': false });
    try {
      render(
        <FlagProvider snapshot={(await client.snapshot({})).toJSON()}>
          <Values />
        </FlagProvider>,
      );
      expect([text('headline'), text('page-size'), text('layout'), text('editor')]).toEqual(['question', '100', '3 columns, dense', 'false']);
    } finally {
      await client.close();
    }
  });

  it('hydrates the server’s markup of variant values with no mismatch', () => {
    const tree = (
      <FlagProvider snapshot={v2}>
        <Values />
      </FlagProvider>
    );
    expect(expectCleanHydration(tree)).toContain('>bold<');
  });

  it('still renders a v1 payload (boolean values, no variations)', () => {
    const v1: SnapshotJSON = { v: 1, flags: { 'new-editor': { value: true }, reports: { value: false } } };
    expect(renderRead(v1, () => [useFlag('new-editor'), useFlag('reports'), useFlag('reports', true)])).toEqual([true, false, false]);
  });

  it('reads a value of another type than the default as the default', () => {
    const read = () => [useFlag('headline', 0), useFlag('page-size', 'ten'), useFlag('layout', 'narrow'), useFlag('headline', false), useFlag('new-editor', 'on')];
    expect(renderRead(v2, read)).toEqual([0, 'ten', 'narrow', false, 'on']);
  });

  it('reads JSON defaults by family: an array or null default takes an object value', () => {
    expect(renderRead(v2, () => [useFlag('layout', null), useFlag('layout', [])])).toEqual([
      { columns: 2, dense: false },
      { columns: 2, dense: false },
    ]);
  });

  it('reads a flag the page was not sent as the default given, or false without one', () => {
    expect(renderRead(v2, () => [useFlag('not-sent', 'control'), useFlag('not-sent', 7), useFlag('not-sent')])).toEqual(['control', 7, false]);
    cleanup();
    expect(renderRead(null, () => [useFlag('headline', 'control'), useFlag('headline')])).toEqual(['control', false]);
  });

  it('without a default, reads an on/off flag as its boolean and a flag with variations as its value', () => {
    expect(renderRead(v2, () => [useFlag('new-editor'), useFlag('headline'), useFlag('page-size'), useFlag('layout')])).toEqual([
      true,
      'bold',
      25,
      { columns: 2, dense: false },
    ]);
  });

  it('gives the variation with the value in useFlagDetail, and every value in useFlags (one object per payload)', () => {
    let seen: unknown[] = [];
    function All() {
      const all = useFlags();
      seen = [...seen, all];
      return <Read read={() => [useFlagDetail('layout'), useFlagDetail('new-editor'), all]} />;
    }
    const { rerender } = render(
      <FlagProvider snapshot={v2}>
        <All />
      </FlagProvider>,
    );
    rerender(
      <FlagProvider snapshot={v2}>
        <All />
      </FlagProvider>,
    );
    expect(JSON.parse(text('read') ?? 'null')).toEqual([
      { value: { columns: 2, dense: false }, variation: 'wide' },
      { value: true },
      { 'new-editor': true, headline: 'bold', 'page-size': 25, layout: { columns: 2, dense: false } },
    ]);
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
  });

  it('TestFlagProvider takes string and number values (as variations) and full browser flags', () => {
    render(
      <TestFlagProvider flags={{ headline: 'question', 'page-size': 50, layout: { value: { columns: 3, dense: true }, variation: 'grid' }, 'new-editor': false }}>
        <Read read={() => [useFlag('headline'), useFlag('page-size', 10), useFlagDetail('headline'), useFlag('layout', { columns: 1 }), useFlag('new-editor')]} />
      </TestFlagProvider>,
    );
    expect(JSON.parse(text('read') ?? 'null')).toEqual(['question', 50, { value: 'question', variation: 'question' }, { columns: 3, dense: true }, false]);
  });

  it('accepts payloads of either version, as FlagsSnapshot.isJSON does, and starts empty at v2', () => {
    const candidates: unknown[] = [v2, { v: 1, flags: {} }, { v: 3, flags: {} }, { v: 2 }, { v: 2, flags: null }, null, 'v2'];
    expect(candidates.map(isSnapshot)).toEqual(candidates.map((c) => FlagsSnapshot.isJSON(c)));
    expect(candidates.map(isSnapshot)).toEqual([true, true, false, false, false, false, false]);
    expect(EMPTY_SNAPSHOT).toEqual({ v: 2, flags: {} });
  });
});
