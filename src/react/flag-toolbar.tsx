import { lazy, Suspense } from 'react';

/** The panel, in a chunk of its own: an app that renders no toolbar (production, by default) never loads it. */
const ToolbarPanel = lazy(() => import('./toolbar-panel'));

export interface FlagToolbarProps {
  /** Where the overrides endpoint is mounted (`flagsToolbarEndpoint` in Express, `toolbarEndpoint` in Next). */
  endpoint?: string;
  /**
   * Whether to render at all. By default only in development (`NODE_ENV` is not `production`); in production
   * pass `true` for the people the endpoint's access check lets in (it refuses everyone else anyway, and the
   * toolbar then renders nothing).
   */
  enabled?: boolean;
  /** What happens after a switch. @default reloading the page, so the server renders it with the new values */
  onChange?: () => void;
}

export const DEFAULT_TOOLBAR_ENDPOINT = '/__flagwire/overrides';

function isDevelopment(): boolean {
  // Bundlers replace process.env.NODE_ENV; a page loaded without one has no `process` at all.
  return typeof process === 'undefined' || process.env.NODE_ENV !== 'production';
}

/**
 * A button in the page's corner that lists this page's flags (value, variation, why) and switches them for this
 * browser: the server stores the choice in the encrypted overrides cookie and renders every later request
 * with it, so the first HTML already shows it. A badge says when overrides are active; Reset gives all back.
 */
export function FlagToolbar({ endpoint = DEFAULT_TOOLBAR_ENDPOINT, enabled = isDevelopment(), onChange }: FlagToolbarProps) {
  if (!enabled) return null;
  return (
    <Suspense fallback={null}>
      <ToolbarPanel endpoint={endpoint} onChange={onChange ?? (() => window.location.reload())} />
    </Suspense>
  );
}
