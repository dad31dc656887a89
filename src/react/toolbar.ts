/**
 * `flagwire/react/toolbar`: `<FlagToolbar />`, to see this page's flags and switch them for this browser. An entry
 * of its own, so the provider and hooks bundle carries none of it; its panel loads only when it renders.
 */
export { FlagToolbar } from './flag-toolbar';
export type { FlagToolbarProps } from './flag-toolbar';
