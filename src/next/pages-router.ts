import type { FlagsSnapshot, SnapshotJSON } from '../server';
import { fromNodeHeaders, overridesKeyOf, type RequestFlagsOptions, snapshotForRequest } from './request';

/** The parts of Next's Pages Router types these helpers use (so this module imports nothing from Next). */
interface PagesContext {
  req: { headers: Record<string, string | string[] | undefined> };
}
type ServerSidePropsResult<P> = { props: P | Promise<P> } | { redirect: unknown } | { notFound: true };

export type PagesFlagsOptions = RequestFlagsOptions;

/** The prop `withFlags` adds: `_app` hands it to `<FlagProvider snapshot={pageProps.flags}>`. */
export interface FlagsProps {
  flags: SnapshotJSON;
}

/**
 * flagwire for the Pages Router: `flagsFor(req)` in `getServerSideProps` or an API route, and
 * `withFlags(getServerSideProps)`, which evaluates the request's flags once, hands them to your function,
 * and adds their browser payload to the page's props as `flags`.
 */
export function createPagesFlags(options: PagesFlagsOptions) {
  const overridesKey = overridesKeyOf(options);
  const flagsFor = (req: PagesContext['req']): Promise<FlagsSnapshot> => snapshotForRequest(options, overridesKey, fromNodeHeaders(req.headers));

  function withFlags<C extends PagesContext, P extends object = Record<string, never>>(
    getServerSideProps?: (context: C, flags: FlagsSnapshot) => Promise<ServerSidePropsResult<P>> | ServerSidePropsResult<P>,
  ) {
    return async (context: C): Promise<ServerSidePropsResult<P & FlagsProps>> => {
      const flags = await flagsFor(context.req);
      const result = getServerSideProps ? await getServerSideProps(context, flags) : { props: {} as P };
      if (!('props' in result)) return result;
      return { ...result, props: { ...(await result.props), flags: flags.toJSON() } };
    };
  }

  return { flagsFor, withFlags };
}
