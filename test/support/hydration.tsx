import { act } from '@testing-library/react';
import type { ReactElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { expect, vi } from 'vitest';

/**
 * Renders `tree` on the "server", hydrates that HTML in the DOM and checks the hydrated markup is the same,
 * with no recoverable error and no console error (React reports hydration mismatches through both).
 * @returns the server HTML, for assertions on what it shows.
 */
export function expectCleanHydration(tree: ReactElement): string {
  const html = renderToString(tree);
  const container = document.createElement('div');
  container.innerHTML = html;
  document.body.appendChild(container);
  const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
  const recoverable = vi.fn();
  try {
    act(() => {
      hydrateRoot(container, tree, { onRecoverableError: recoverable });
    });
    expect(container.innerHTML).toBe(html);
    expect(recoverable).not.toHaveBeenCalled();
    expect(consoleError).not.toHaveBeenCalled();
  } finally {
    consoleError.mockRestore();
    container.remove();
  }
  return html;
}
