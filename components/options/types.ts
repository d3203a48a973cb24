/** What the options views hand back to the page after a save, a removal or an add. */
export type Outcome =
  | { ok: true; message?: string }
  | {
      ok: false;
      /** Plain words, safe to show. */
      message: string;
      /** The field at fault, by its payload name (`accountSid`), when one is. */
      field?: string;
    };
