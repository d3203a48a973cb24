/** storage.local / storage.session stand-ins with the API's get/set/remove shapes, over a Map. */
export function memoryArea(data = new Map<string, unknown>()) {
  return {
    data,
    async get(keys?: string | string[] | null) {
      const wanted = keys === null || keys === undefined ? [...data.keys()] : [keys].flat();
      return Object.fromEntries(wanted.filter((k) => data.has(k)).map((k) => [k, data.get(k)]));
    },
    async set(items: Record<string, unknown>) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys: string | string[]) {
      for (const k of [keys].flat()) data.delete(k);
    },
  };
}
