/** Runs a callback before the next paint, like `requestAnimationFrame`. */
export type RequestFrame = (callback: () => void) => void;

export interface FrameBatch {
  /** Asks for one run in the next animation frame; calls until then share it. */
  schedule(): void;
  /** Drops a scheduled run. */
  cancel(): void;
}

/**
 * Coalesces DOM work into one run per animation frame: many mutation records
 * or events in a frame cost one read of the page and one round of writes.
 */
export function frameBatch(requestFrame: RequestFrame, run: () => void): FrameBatch {
  let scheduled = false;
  let generation = 0;
  return {
    schedule() {
      if (scheduled) return;
      scheduled = true;
      const mine = generation;
      requestFrame(() => {
        if (mine !== generation) return;
        scheduled = false;
        run();
      });
    },
    cancel() {
      generation += 1;
      scheduled = false;
    },
  };
}
