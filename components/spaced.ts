import type { ComponentChild } from 'preact';

/**
 * Puts a space between the given parts, dropping empty ones. Flex layouts
 * ignore the spaces, but screen readers need them so that adjacent spans are
 * not read as one word.
 */
export function spaced(...parts: ComponentChild[]): ComponentChild[] {
  const out: ComponentChild[] = [];
  for (const part of parts) {
    if (part === false || part === null || part === undefined || part === '') continue;
    if (out.length > 0) out.push(' ');
    out.push(part);
  }
  return out;
}
