import { createPagesFlags } from 'flagwire/next/pages';
import { useFlag } from 'flagwire/react';
import { client, context } from '../lib/flags-client';

const { withFlags } = createPagesFlags({ client, context });

export const getServerSideProps = withFlags(async (_context, flags) => ({
  props: { dashboard: flags.isEnabled('new-dashboard') ? 'new' : 'classic' },
}));

export default function Legacy({ dashboard }: { dashboard: string }) {
  const clientSees = useFlag('new-dashboard') ? 'new' : 'classic';
  return (
    <main>
      <h1 id="legacy">Pages Router</h1>
      <p id="legacy-server">server: {dashboard}</p>
      <p id="legacy-client">client: {clientSees}</p>
    </main>
  );
}
