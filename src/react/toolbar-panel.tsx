import { type CSSProperties, useCallback, useEffect, useState } from 'react';
import type { FlagValue } from 'flagwire/server';
import { TOOLBAR_HEADER, type ToolbarChange, type ToolbarFlag, type ToolbarState } from '../browser/toolbar-state';

interface PanelProps {
  endpoint: string;
  onChange: () => void;
}

/** What the endpoint said: the flags, a reason it cannot switch them, or that this browser may not see them. */
type Loaded = { kind: 'loading' } | { kind: 'refused' } | { kind: 'unavailable'; message: string } | { kind: 'ready'; state: ToolbarState };

const RULES = '__rules__';
const OTHER = '__other__';

function text(value: FlagValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function load(endpoint: string): Promise<Loaded> {
  try {
    const response = await fetch(endpoint, { credentials: 'same-origin', headers: { accept: 'application/json' } });
    if (response.status === 403 || response.status === 404) return { kind: 'refused' };
    const body = (await response.json()) as ToolbarState | { error: string };
    if (!response.ok || 'error' in body) return { kind: 'unavailable', message: 'error' in body ? body.error : `HTTP ${response.status}` };
    return { kind: 'ready', state: body };
  } catch (error) {
    return { kind: 'unavailable', message: (error as Error)?.message ?? String(error) };
  }
}

/** The toolbar itself: loaded by `<FlagToolbar />` only when it renders. */
export default function ToolbarPanel({ endpoint, onChange }: PanelProps) {
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'loading' });
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void load(endpoint).then((result) => live && setLoaded(result));
    return () => {
      live = false;
    };
  }, [endpoint]);

  const send = useCallback(
    async (change: ToolbarChange) => {
      setError(null);
      try {
        const response = await fetch(endpoint, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json', [TOOLBAR_HEADER]: '1' },
          body: JSON.stringify(change),
        });
        if (!response.ok) {
          const body = (await response.json().catch(() => null)) as { error?: string } | null;
          setError(body?.error ?? `HTTP ${response.status}`);
          return;
        }
        onChange();
      } catch (failure) {
        setError((failure as Error)?.message ?? String(failure));
      }
    },
    [endpoint, onChange],
  );

  if (loaded.kind === 'loading' || loaded.kind === 'refused') return null;
  const overridden = loaded.kind === 'ready' ? loaded.state.overridden : 0;
  return (
    <div style={styles.root} data-flagwire-toolbar="">
      {open && (
        <section role="dialog" aria-label="Flags" style={styles.panel}>
          {loaded.kind === 'unavailable' ? (
            <p style={styles.note}>{loaded.message}</p>
          ) : (
            <>
              <table style={styles.table}>
                <tbody>
                  {loaded.state.flags.map((flag) => (
                    <FlagRow key={flag.key} flag={flag} onPick={(change) => void send(change)} />
                  ))}
                </tbody>
              </table>
              {overridden > 0 && (
                <button type="button" style={styles.reset} onClick={() => void send({ reset: true })}>
                  Reset all overrides
                </button>
              )}
            </>
          )}
          {error && (
            <p role="alert" style={styles.error}>
              {error}
            </p>
          )}
        </section>
      )}
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} style={overridden > 0 ? styles.badgeActive : styles.badge}>
        {overridden > 0 ? `Flags · ${overridden} overridden` : 'Flags'}
      </button>
    </div>
  );
}

function FlagRow({ flag, onPick }: { flag: ToolbarFlag; onPick: (change: ToolbarChange) => void }) {
  const chosen = flag.options.findIndex((option) => option.name === flag.variation);
  const pick = (picked: string) => {
    if (picked === RULES) onPick({ remove: [flag.key] });
    else {
      const option = flag.options[Number(picked)];
      if (option) onPick({ set: { [flag.key]: option.value } });
    }
  };
  return (
    <tr data-flag={flag.key}>
      <th scope="row" style={styles.key} title={flag.description ?? undefined}>
        {flag.key}
        {!flag.client && <span style={styles.tag}> server</span>}
      </th>
      <td style={styles.cell}>
        <select aria-label={flag.key} value={flag.overridden ? (chosen >= 0 ? String(chosen) : OTHER) : RULES} onChange={(event) => pick(event.target.value)} style={styles.select}>
          <option value={RULES}>{flag.overridden ? 'as the rules decide' : `${flag.variation ?? text(flag.value)} (rules)`}</option>
          {flag.overridden && chosen < 0 && (
            <option value={OTHER} disabled>
              {text(flag.value)}
            </option>
          )}
          {flag.options.map((option, i) => (
            <option key={option.name} value={String(i)}>
              {option.label === text(option.value) ? option.label : `${option.label}: ${text(option.value)}`}
            </option>
          ))}
        </select>
      </td>
      <td style={styles.cell} title={flag.reason}>
        {flag.kind}
      </td>
    </tr>
  );
}

const font = 'ui-sans-serif, system-ui, sans-serif';
const styles: Record<string, CSSProperties> = {
  root: { position: 'fixed', right: 12, bottom: 12, zIndex: 2147483647, font: `12px ${font}`, color: '#111' },
  badge: { font: `12px ${font}`, padding: '6px 10px', borderRadius: 14, border: '1px solid #999', background: '#fff', cursor: 'pointer' },
  badgeActive: { font: `12px ${font}`, padding: '6px 10px', borderRadius: 14, border: '1px solid #b45309', background: '#f59e0b', color: '#111', cursor: 'pointer' },
  panel: { position: 'absolute', right: 0, bottom: 36, maxHeight: '60vh', overflow: 'auto', background: '#fff', border: '1px solid #999', borderRadius: 8, padding: 8, boxShadow: '0 4px 16px rgba(0,0,0,.2)' },
  table: { borderCollapse: 'collapse' },
  key: { textAlign: 'left', padding: '2px 8px 2px 0', fontWeight: 600, whiteSpace: 'nowrap' },
  cell: { padding: '2px 4px', whiteSpace: 'nowrap' },
  select: { font: `12px ${font}`, maxWidth: 260 },
  tag: { color: '#666', fontWeight: 400 },
  reset: { marginTop: 8, font: `12px ${font}`, cursor: 'pointer' },
  note: { margin: 0, maxWidth: 280 },
  error: { margin: '8px 0 0', color: '#b91c1c', maxWidth: 280 },
};
