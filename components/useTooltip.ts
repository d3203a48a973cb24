import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface TooltipOptions {
  /** Hover time before opening, so a pointer passing over the badge does not flash it. */
  showDelay?: number;
  /** Grace time after the pointer leaves, so it can cross the gap into the tooltip. */
  hideDelay?: number;
}

export interface TooltipControl {
  open: boolean;
  show(): void;
  hide(): void;
  /** The next focus of the trigger does not open the tooltip (focus handed back by a popup). */
  skipNextFocus(): void;
  /** Spread onto the trigger. */
  triggerProps: {
    onMouseEnter(): void;
    onMouseLeave(): void;
    onFocus(): void;
    onBlur(): void;
    onKeyDown(event: KeyboardEvent): void;
  };
  /** Spread onto the tooltip, so the pointer can rest on it (WCAG 1.4.13). */
  tooltipProps: { onMouseEnter(): void; onMouseLeave(): void };
}

/** Open state of a hover-and-focus tooltip, with short delays and Escape to close. */
export function useTooltip({
  showDelay = 250,
  hideDelay = 120,
}: TooltipOptions = {}): TooltipControl {
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const skipFocus = useRef(false);

  const clear = useCallback(() => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = undefined;
  }, []);
  const later = useCallback(
    (value: boolean, delay: number) => {
      clear();
      timer.current = setTimeout(() => {
        timer.current = undefined;
        setOpen(value);
      }, delay);
    },
    [clear],
  );
  const show = useCallback(() => {
    clear();
    setOpen(true);
  }, [clear]);
  const hide = useCallback(() => {
    clear();
    setOpen(false);
  }, [clear]);

  useEffect(() => clear, [clear]);

  // Escape must close a hover-opened tooltip even while focus is in HighLevel's
  // composer, so listen on the document, and only while open.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') hide();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open, hide]);

  return {
    open,
    show,
    hide,
    skipNextFocus: () => {
      skipFocus.current = true;
    },
    triggerProps: {
      onMouseEnter: () => later(true, showDelay),
      onMouseLeave: () => later(false, hideDelay),
      onFocus: () => {
        if (skipFocus.current) skipFocus.current = false;
        else show();
      },
      onBlur: hide,
      onKeyDown: (event) => {
        if (event.key === 'Escape' && open) hide();
      },
    },
    tooltipProps: {
      onMouseEnter: clear,
      onMouseLeave: () => later(false, hideDelay),
    },
  };
}
