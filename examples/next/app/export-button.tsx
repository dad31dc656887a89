'use client';
import { useEntitlement, useFlag } from 'flagwire/react';
import { useState } from 'react';

/** A usage-limited feature: the server gates the route; this shows the limit and reports the answer. */
export function ExportButton() {
  const enabled = useFlag('bulk-export');
  const entitlement = useEntitlement('bulk-export');
  const [status, setStatus] = useState('');
  const run = async () => {
    const response = await fetch('/api/export', { method: 'POST' });
    setStatus(response.ok ? 'exported' : `refused (${response.status})`);
  };
  return (
    <section>
      <button id="export" type="button" onClick={run} disabled={!enabled}>
        Export CSV
      </button>
      {entitlement?.allocation != null ? (
        <span id="export-usage">
          {entitlement.usage ?? 0} of {entitlement.allocation} exports used this month{entitlement.exceeded ? ' — limit reached' : ''}
        </span>
      ) : null}
      <output id="export-status">{status}</output>
    </section>
  );
}
