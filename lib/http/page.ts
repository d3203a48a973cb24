/** One page of a list, as the clients' async generators yield them. */
export interface Page<T> {
  items: T[];
  /** 0 for the first page. */
  index: number;
  /** Items yielded so far, this page included. */
  itemsSoFar: number;
  /** The provider says another page follows. */
  hasMore: boolean;
}
