// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlagToolbar } from '../../src/react/toolbar';
import type { ToolbarState } from '../../src/browser/toolbar-state';

/** `<FlagToolbar />` against a stand-in endpoint (fetch); the real endpoints run in the examples' Chromium e2e. */
const STATE: ToolbarState = {
  overridden: 0,
  flags: [
    {
      key: 'headline',
      description: 'The headline experiment',
      value: 'Feature flags',
      variation: 'control',
      kind: 'fallthrough',
      reason: 'No rules matched',
      options: [
        { name: 'control', label: 'control', value: 'Feature flags' },
        { name: 'bold', label: 'bold', value: 'Ship it dark' },
      ],
      overridden: false,
      client: true,
    },
    { key: 'labs', description: null, value: false, variation: 'false', kind: 'fallthrough', reason: 'No rules matched', options: [{ name: 'true', label: 'On', value: true }, { name: 'false', label: 'Off', value: false }], overridden: false, client: false },
  ],
};

function endpoint(answers: Response[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return answers.shift() ?? new Response(null, { status: 204 });
    }),
  );
  return calls;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('<FlagToolbar />', () => {
  it('renders nothing, and asks nothing, when not enabled', () => {
    const calls = endpoint([]);
    const { container } = render(<FlagToolbar enabled={false} />);
    expect(container.innerHTML).toBe('');
    expect(calls).toEqual([]);
  });

  it('lists the flags, switches one through the endpoint, then lets the page re-render', async () => {
    const calls = endpoint([Response.json(STATE)]);
    const onChange = vi.fn();
    render(<FlagToolbar enabled endpoint="/api/flagwire/overrides" onChange={onChange} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Flags' }));
    expect(screen.getByRole('dialog', { name: 'Flags' })).toBeTruthy();
    expect(screen.getByText('server')).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'headline' }), { target: { value: '1' } });
    await waitFor(() => expect(onChange).toHaveBeenCalledTimes(1));
    expect(calls[0]?.url).toBe('/api/flagwire/overrides');
    expect(calls[1]?.init).toMatchObject({ method: 'POST', body: JSON.stringify({ set: { headline: 'Ship it dark' } }) });
    expect((calls[1]?.init?.headers as Record<string, string>)['x-flagwire-toolbar']).toBe('1');
  });

  it('shows a badge while overrides are active, and gives a flag back to the rules or resets all', async () => {
    const overridden: ToolbarState = { overridden: 1, flags: [{ ...(STATE.flags[0] as ToolbarState['flags'][number]), value: 'Ship it dark', variation: 'bold', kind: 'override', overridden: true }] };
    const calls = endpoint([Response.json(overridden)]);
    render(<FlagToolbar enabled onChange={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Flags · 1 overridden' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'headline' }), { target: { value: '__rules__' } });
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]?.init?.body).toBe(JSON.stringify({ remove: ['headline'] }));
    fireEvent.click(screen.getByRole('button', { name: 'Reset all overrides' }));
    await waitFor(() => expect(calls).toHaveLength(3));
    expect(calls[2]?.init?.body).toBe(JSON.stringify({ reset: true }));
  });

  it('renders nothing for a browser the endpoint refuses, and says why it cannot switch without a secret', async () => {
    endpoint([Response.json({ error: 'no' }, { status: 403 })]);
    const refused = render(<FlagToolbar enabled />);
    await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(refused.container.innerHTML).toBe('');
    cleanup();
    endpoint([Response.json({ error: 'set FLAGS_SECRET to switch flags from the toolbar' }, { status: 409 })]);
    render(<FlagToolbar enabled />);
    fireEvent.click(await screen.findByRole('button', { name: 'Flags' }));
    expect(screen.getByText('set FLAGS_SECRET to switch flags from the toolbar')).toBeTruthy();
  });

  it('shows an error the endpoint gives for a change, and does not reload', async () => {
    endpoint([Response.json(STATE), Response.json({ error: 'at most 50 flags can be overridden at once' }, { status: 400 })]);
    const onChange = vi.fn();
    render(<FlagToolbar enabled onChange={onChange} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Flags' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'labs' }), { target: { value: '0' } });
    expect((await screen.findByRole('alert')).textContent).toBe('at most 50 flags can be overridden at once');
    expect(onChange).not.toHaveBeenCalled();
  });
});
