import { useFlag } from 'flagwire/react';

/**
 * The headline experiment: the server evaluated this visitor's variation and rendered its text; hydration
 * reads the same value from the same payload, so the text never changes in the browser.
 */
export function Headline() {
  const text = useFlag('headline', '');
  return <h2 id="headline">{text}</h2>;
}
