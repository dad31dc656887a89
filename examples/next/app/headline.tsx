'use client';
import { useFlag } from 'flagwire/react';

/**
 * The headline experiment, in a client component: the server rendered this visitor's variation, and
 * hydration reads the same value from the layout's payload, so the text never changes in the browser.
 */
export function Headline() {
  // Typed by the flags file (flagwire.flags.d.ts): the default must be one of the headline's texts.
  const text = useFlag('headline', 'Feature flags for Express, Next.js and React');
  return <h2 id="headline">{text}</h2>;
}
