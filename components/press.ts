import { trusted } from './trusted';

/**
 * Handlers that run `action` once for a person's click, Enter or Space on a
 * button, never for a page script's events. Keys are handled on keydown, as
 * the badges do, so keyboard and mouse behave alike.
 */
export function pressable(action: () => void) {
  return {
    onClick: trusted(() => action()),
    onKeyDown: trusted((event: KeyboardEvent) => {
      if (event.key !== 'Enter' && event.key !== ' ') return;
      // No native click after this one, and HighLevel's page-wide keys (its own
      // Enter-to-send) must not see it.
      event.preventDefault();
      event.stopPropagation();
      // A held key repeats; each repeat would be a new send with a new key.
      if (!event.repeat) action();
    }),
    onKeyUp: (event: KeyboardEvent) => {
      // Firefox clicks a button on Space's keyup even when keydown was prevented.
      if (event.key === ' ') event.preventDefault();
    },
  };
}
