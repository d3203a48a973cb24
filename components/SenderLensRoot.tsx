import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { SenderView, SwitcherOption, SwitcherUser } from '../lib/messaging/views';
import { QuickSwitcher } from './QuickSwitcher';
import { SenderBadge } from './SenderBadge';
import { useTooltip } from './useTooltip';
import { WhyTooltip } from './WhyTooltip';

export interface SenderLensRootProps {
  view: SenderView;
  options: SwitcherOption[];
  /** Staff to choose from, when the page did not say who the agent is. */
  users?: SwitcherUser[];
  onPick(e164: string): void;
  onChooseUser(id: string): void;
  /** A counter the content script bumps when the keyboard shortcut fires; each change opens the switcher. */
  openSwitcherSignal?: number;
}

/** Badge, tooltip and switcher together, with the one piece of state they share: what is open. */
export function SenderLensRoot(props: SenderLensRootProps) {
  const base = useId();
  const tooltipId = `${base}-why`;
  const listId = `${base}-list`;
  const [switcherOpen, setSwitcherOpen] = useState(false);
  const tooltip = useTooltip();
  const badge = useRef<HTMLButtonElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const lastSignal = useRef(props.openSwitcherSignal);

  // Where focus goes back to when the switcher closes: the message box, when the shortcut opened it.
  const opener = useRef<HTMLElement | null>(null);

  const openSwitcher = () => {
    tooltip.hide();
    setSwitcherOpen(true);
  };
  const closeSwitcher = (returnFocus: boolean) => {
    setSwitcherOpen(false);
    const back = opener.current;
    opener.current = null;
    if (!returnFocus) return;
    if (back?.isConnected) back.focus();
    else {
      // Focus coming back from the switcher is not a request for the tooltip.
      tooltip.skipNextFocus();
      badge.current?.focus();
    }
  };

  useEffect(() => {
    if (props.openSwitcherSignal === lastSignal.current) return;
    lastSignal.current = props.openSwitcherSignal;
    const active = document.activeElement as HTMLElement | null;
    // One of our hosts (focus in the badge, the list or a chip, behind a closed root) means the badge.
    opener.current =
      active && active !== document.body && !active.localName.startsWith('sender-lens-')
        ? active
        : null;
    openSwitcher();
    // Only the signal opens the switcher; openSwitcher is new each render.
  }, [props.openSwitcherSignal]);

  return (
    <div
      ref={wrapper}
      class="sl-root"
      onFocusOut={(event: FocusEvent) => {
        const next = event.relatedTarget as Node | null;
        if (switcherOpen && !(next && wrapper.current?.contains(next))) closeSwitcher(false);
      }}
    >
      <SenderBadge
        view={props.view}
        // The summary and the warnings only: the trace is too long to hear on every focus.
        describedBy={`${tooltipId}-sum${props.view.warnings.length > 0 ? ` ${tooltipId}-warn` : ''}`}
        controls={listId}
        expanded={switcherOpen}
        buttonRef={badge}
        onToggle={() => (switcherOpen ? closeSwitcher(true) : openSwitcher())}
        onOpen={openSwitcher}
        {...tooltip.triggerProps}
        onMouseEnter={() => {
          if (!switcherOpen) tooltip.triggerProps.onMouseEnter();
        }}
      />
      <WhyTooltip
        id={tooltipId}
        open={tooltip.open && !switcherOpen}
        view={props.view}
        {...tooltip.tooltipProps}
      />
      <QuickSwitcher
        id={listId}
        open={switcherOpen}
        options={props.options}
        users={props.users}
        onPick={(e164) => {
          closeSwitcher(true);
          props.onPick(e164);
        }}
        onChooseUser={(id) => {
          closeSwitcher(true);
          props.onChooseUser(id);
        }}
        onClose={closeSwitcher}
      />
    </div>
  );
}
