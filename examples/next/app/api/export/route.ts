import { cookies } from 'next/headers';
import { client, companyFrom } from '../../../lib/flags-client';
import { getFlags } from '../../../lib/flags';

/** A route handler gated by a flag; each export is tracked, which moves the company towards its limit. */
export async function POST() {
  const flags = await getFlags();
  if (!flags.isEnabled('bulk-export')) {
    return Response.json({ error: 'bulk export is not enabled for this company' }, { status: 403 });
  }
  const company = companyFrom((await cookies()).get('company')?.value);
  void client.track({ event: 'exports', company: { domain: company } });
  return Response.json({ ok: true });
}
