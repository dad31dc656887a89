import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagesFlags } from '../../src/next/pages';
import { parseCookieHeader } from '../../src/next/request';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

describe('createPagesFlags (Pages Router)', () => {
  let client: FlagsClient;
  let cleanup: () => void;
  beforeAll(async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    cleanup = files.cleanup;
    client = createFlagsClient({ flagsFile: files.file });
    await client.ready();
  });
  afterAll(async () => {
    await client.close();
    cleanup();
  });

  const pages = () => createPagesFlags({ client, context: (req) => ({ company: { domain: req.cookie('company') ?? '' } }) });
  const ctx = (cookie?: string) => ({ req: { headers: cookie ? { cookie } : {} }, query: {} });

  it('withFlags hands the flags to getServerSideProps and adds their browser payload as props.flags', async () => {
    const getServerSideProps = pages().withFlags(async (_context, flags) => ({ props: { reports: flags.isEnabled('advanced-reports') } }));
    const result = await getServerSideProps(ctx('company=acme.test'));
    expect(result).toEqual({
      props: {
        reports: true,
        flags: { v: 2, flags: { 'advanced-reports': expect.objectContaining({ value: true }), 'new-editor': { value: false } } },
      },
    });
  });

  it('passes redirects and notFound through untouched, and works without a function of its own', async () => {
    const { withFlags } = pages();
    expect(await withFlags(() => ({ redirect: { destination: '/', permanent: false } }))(ctx())).toEqual({ redirect: { destination: '/', permanent: false } });
    expect(await withFlags(() => ({ notFound: true as const }))(ctx())).toEqual({ notFound: true });
    const bare = await withFlags()(ctx('company=globex.test'));
    expect(bare).toEqual({ props: { flags: expect.objectContaining({ v: 2 }) } });
  });

  it('reads cookies from Node’s headers for the API-route helper', async () => {
    const flags = await pages().flagsFor({ headers: { cookie: 'a=1; company=acme.test' } });
    expect(flags.isEnabled('advanced-reports')).toBe(true);
  });
});

describe('parseCookieHeader', () => {
  it('reads pairs, decodes values, keeps the first of a repeated name, skips malformed pairs', () => {
    const cookies = parseCookieHeader('a=1; b="quoted"; c=caf%C3%A9; a=2; =nameless; broken; d=%E0%A4%A; e=x=y');
    expect(Object.fromEntries(cookies)).toEqual({ a: '1', b: 'quoted', c: 'café', d: '%E0%A4%A', e: 'x=y' });
    expect(parseCookieHeader(null).size).toBe(0);
  });
});
