import { useState } from 'react';
import { useEntitlement, useFlag } from 'flagwire/react';
import { Headline } from './headline';

/** The page, rendered on the server and hydrated in the browser from the same flag values. */
export function App({ company, companies }: { company: string; companies: { domain: string; name: string }[] }) {
  const dashboard = useFlag('new-dashboard');
  const exportEnabled = useFlag('bulk-export');
  const exports = useEntitlement('bulk-export');
  const beta = useFlag('beta-banner');
  const [message, setMessage] = useState('');

  async function runExport() {
    const response = await fetch('/api/export', { method: 'POST' });
    setMessage(response.ok ? 'Export started.' : `Export refused (${response.status}).`);
  }

  return (
    <main style={{ fontFamily: 'system-ui', maxWidth: 640, margin: '2rem auto' }}>
      <Headline />
      {beta ? <p id="beta-banner" style={{ background: '#fde68a', padding: 8 }}>Beta features are on for large teams.</p> : null}
      <nav>
        Company:{' '}
        {companies.map((c) => (
          <a key={c.domain} href={`/switch?company=${c.domain}`} id={`switch-${c.domain}`} style={{ marginRight: 8, fontWeight: c.domain === company ? 'bold' : 'normal' }}>
            {c.name}
          </a>
        ))}
      </nav>
      <h1 id="dashboard">{dashboard ? 'New dashboard' : 'Classic dashboard'}</h1>
      <section>
        <h2>Bulk export</h2>
        {exports && exports.allocation !== null ? (
          <p id="export-usage">
            {exports.usage} of {exports.allocation} exports used this month{exports.exceeded ? ' — limit reached' : ''}
          </p>
        ) : null}
        <button id="export" type="button" disabled={!exportEnabled} onClick={() => void runExport()}>
          {exportEnabled ? 'Export CSV' : 'Export not available on your plan'}
        </button>
        <p id="export-message">{message}</p>
      </section>
    </main>
  );
}
