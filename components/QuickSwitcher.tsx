import { useEffect, useRef, useState } from 'preact/hooks';
import type { SwitcherOption, SwitcherUser } from '../lib/messaging/views';
import { spaced } from './spaced';
import { trusted } from './trusted';

export interface QuickSwitcherProps {
  /** The listbox's id, for the badge's aria-controls. */
  id: string;
  open: boolean;
  options: SwitcherOption[];
  /** Staff to choose from; given only when the page did not say who the agent is. */
  users?: SwitcherUser[];
  onPick(e164: string): void;
  onChooseUser(id: string): void;
  /** Escape asks for focus back on the badge; Tab lets focus move on. */
  onClose(returnFocus: boolean): void;
}

type Entry =
  | { key: string; kind: 'number'; option: SwitcherOption }
  | { key: string; kind: 'user'; user: SwitcherUser };

const digitsOf = (text: string) => text.replace(/\D/g, '');
const enabled = (entry: Entry) => entry.kind === 'user' || !entry.option.disabledReason;

function matches(entry: Entry, query: string): boolean {
  if (!query) return true;
  const lower = query.toLowerCase();
  const hasLetters = /\p{L}/u.test(query);
  if (entry.kind === 'user') return hasLetters && entry.user.name.toLowerCase().includes(lower);
  const { option } = entry;
  const digits = digitsOf(query);
  if (
    digits &&
    (digitsOf(option.e164).includes(digits) || digitsOf(option.display).includes(digits))
  )
    return true;
  return hasLetters && (option.name ?? '').toLowerCase().includes(lower);
}

/**
 * The quick switcher: a listbox of the sub-account's numbers. Focus stays on
 * the listbox and aria-activedescendant marks the active option, so typing
 * filters without a text field.
 */
export function QuickSwitcher(props: QuickSwitcherProps) {
  const { id, open, options, users } = props;
  const [query, setQuery] = useState('');
  const [activeKey, setActiveKey] = useState<string | undefined>(undefined);
  const ownList = useRef<HTMLDivElement>(null);

  const numbers: Entry[] = options.map((option) => ({
    // Keyed by number, not position, so the active option survives a refresh that reorders the list.
    key: `${id}-n${digitsOf(option.e164)}`,
    kind: 'number',
    option,
  }));
  const people: Entry[] = (users ?? []).map((user, i) => ({
    key: `${id}-u${i}`,
    kind: 'user',
    user,
  }));
  const shownNumbers = numbers.filter((entry) => matches(entry, query));
  const shownPeople = people.filter((entry) => matches(entry, query));
  // Keyboard order follows screen order: people first, because choosing who you are comes before the number.
  const choosable = [...shownPeople, ...shownNumbers].filter(enabled);
  const active = choosable.find((entry) => entry.key === activeKey) ?? choosable[0];

  useEffect(() => {
    if (!open) return;
    setQuery('');
    const current = numbers.find(
      (e) => e.kind === 'number' && e.option.tags.includes('current') && enabled(e),
    );
    setActiveKey(current?.key);
    ownList.current?.focus();
    // Only on opening: later option updates must not move the agent's place.
  }, [open]);

  useEffect(() => {
    if (!open || !active) return;
    const node = ownList.current?.querySelector(`[id="${active.key}"]`) as HTMLElement | null;
    node?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active?.key]);

  const choose = (entry: Entry | undefined) => {
    if (!entry || !enabled(entry)) return;
    if (entry.kind === 'number') props.onPick(entry.option.e164);
    else props.onChooseUser(entry.user.id);
  };

  const move = (to: Entry | undefined) => {
    if (to) setActiveKey(to.key);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const at = active ? choosable.indexOf(active) : -1;
    const key = event.key;
    if (key === 'Tab') {
      props.onClose(false);
      return;
    }
    if (key === 'ArrowDown') move(choosable[Math.min(at + 1, choosable.length - 1)]);
    else if (key === 'ArrowUp') move(choosable[Math.max(at - 1, 0)]);
    else if (key === 'Home') move(choosable[0]);
    else if (key === 'End') move(choosable[choosable.length - 1]);
    else if (key === 'Enter') choose(active);
    else if (key === 'Escape') props.onClose(true);
    else if (key === 'Backspace') setQuery((q) => q.slice(0, -1));
    else if (key.length === 1 && key !== ' ' && !event.ctrlKey && !event.metaKey && !event.altKey)
      setQuery((q) => q + key);
    else return;
    // Handled keys stay ours: HighLevel has page-wide shortcuts of its own.
    event.preventDefault();
    event.stopPropagation();
  };

  const renderEntry = (entry: Entry) => {
    const isActive = entry === active;
    const disabled = !enabled(entry);
    const option = entry.kind === 'number' ? entry.option : undefined;
    return (
      // biome-ignore lint/a11y/useFocusableInteractive: the listbox keeps focus and points here with aria-activedescendant
      // biome-ignore lint/a11y/useKeyWithClickEvents: the listbox handles the keys for every option
      <div
        key={entry.key}
        id={entry.key}
        role="option"
        aria-selected={isActive}
        aria-disabled={disabled || undefined}
        class={`sl-option${isActive ? ' sl-active' : ''}${disabled ? ' sl-disabled' : ''}${option?.assignedTo ? ' sl-other' : ''}`}
        onMouseMove={trusted(() => {
          if (!disabled && !isActive) setActiveKey(entry.key);
        })}
        onClick={trusted(() => choose(entry))}
      >
        {option ? (
          <>
            <span class="sl-option-main">
              {spaced(
                <span class="sl-number">{option.display}</span>,
                option.name && <span class="sl-name">{option.name}</span>,
                ...option.tags.map((tag) => (
                  <span key={tag} class={`sl-tag${tag === 'current' ? ' sl-tag-current' : ''}`}>
                    {tag}
                  </span>
                )),
              )}
            </span>
            {option.disabledReason && ' '}
            {option.disabledReason && <span class="sl-reason">{option.disabledReason}</span>}
            {option.assignedTo && ' '}
            {option.assignedTo && (
              <span class="sl-reason">
                {option.assignedTo}'s number: HighLevel will not offer it to you
              </span>
            )}
          </>
        ) : (
          entry.kind === 'user' && <span class="sl-option-main">{entry.user.name}</span>
        )}
      </div>
    );
  };

  const group = (groupId: string, label: string, entries: Entry[]) => (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset may not sit inside a listbox; ARIA groups may
    <div role="group" aria-labelledby={groupId}>
      <div role="presentation" id={groupId} class="sl-group">
        {label}
      </div>
      {entries.map(renderEntry)}
    </div>
  );

  const nothingShown = shownNumbers.length + shownPeople.length === 0;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: mousedown only keeps focus on the listbox; it does nothing itself
    <div class="sl-pop sl-switcher" hidden={!open} onMouseDown={(event) => event.preventDefault()}>
      <p class="sl-title">Send the next SMS from</p>
      {/* Rendered empty from the start: a live region added with its text is not announced. */}
      <p class="sl-filter" aria-live="polite">
        {query &&
          `Filter “${query}”: ${shownNumbers.length === 1 ? '1 number' : `${shownNumbers.length} numbers`}`}
      </p>
      <div
        ref={ownList}
        id={id}
        role="listbox"
        tabIndex={0}
        aria-label="Send the next SMS from"
        aria-activedescendant={open && active ? active.key : undefined}
        class="sl-list"
        onKeyDown={trusted(onKeyDown)}
      >
        {people.length > 0 && shownPeople.length > 0 && group(`${id}-gu`, 'I am …', shownPeople)}
        {people.length > 0 && shownNumbers.length > 0
          ? group(`${id}-gn`, 'Numbers', shownNumbers)
          : shownNumbers.map(renderEntry)}
        {nothingShown && (
          <div role="presentation" class="sl-empty">
            {options.length === 0 ? 'No numbers synced yet.' : `No number matches “${query}”.`}
          </div>
        )}
      </div>
      <p class="sl-hint" aria-hidden="true">
        ↑↓ move · Enter picks · type digits to filter · Esc closes
      </p>
    </div>
  );
}
