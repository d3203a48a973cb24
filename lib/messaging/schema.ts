/**
 * A small validator library for message payloads. Each schema reads an
 * `unknown` and returns either a typed value built afresh (never the input
 * object itself) or the first problem found, named by its path
 * (`send.contactId: expected a string`). Objects are closed: a field the
 * schema does not name is refused, so nothing unchecked reaches a handler.
 */

/** The first problem found in an input; `path` is '' for the input itself. */
export interface Issue {
  path: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issue: Issue };

export interface Schema<T> {
  /** Reads `input`, found at `path`; never throws. */
  read(input: unknown, path: string): Parsed<T>;
}

/** A schema whose field may be left out of an object. */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;

type OptionalKeys<S extends Shape> = {
  [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never;
}[keyof S];

type Flatten<T> = { [K in keyof T]: T[K] } & {};

export type ObjectOf<S extends Shape> = Flatten<
  { [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined>;
  }
>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (path: string, message: string): { ok: false; issue: Issue } => ({
  ok: false,
  issue: { path, message },
});

/** Joins a parent path and a field name: `send` + `contactId` → `send.contactId`. */
export function fieldPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** One line naming the path, with `root` standing for the whole input. */
export function formatIssue(issue: Issue, root: string): string {
  return `${issue.path === '' ? root : issue.path}: ${issue.message}`;
}

/** Reads `input` from its root; the result names paths relative to it. */
export function parse<T>(schema: Schema<T>, input: unknown): Parsed<T> {
  return schema.read(input, '');
}

function describe(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  return typeof input === 'object' ? 'an object' : `a ${typeof input}`;
}

function quoteAll(values: readonly (string | number | boolean)[]): string {
  const quoted = values.map((v) => JSON.stringify(v));
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** Messages are structured clones, so anything else (class instances, arrays) is not ours. */
function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

export interface StringOptions {
  /** Refuse '' (default true: an empty id or number is never meaningful here). */
  nonEmpty?: boolean;
  /** Bounds the work a sender can cause. */
  maxLength?: number;
}

/** A string, by default non-empty. */
export function string(options: StringOptions = {}): Schema<string> {
  const { nonEmpty = true, maxLength } = options;
  return {
    read(input, path) {
      if (typeof input !== 'string') return fail(path, `expected a string, got ${describe(input)}`);
      if (nonEmpty && input.length === 0) return fail(path, 'must not be empty');
      if (maxLength !== undefined && input.length > maxLength) {
        return fail(path, `longer than ${maxLength} characters`);
      }
      return ok(input);
    },
  };
}

/** A finite number, optionally an integer within bounds. */
export function number(
  options: { integer?: boolean; min?: number; max?: number } = {},
): Schema<number> {
  return {
    read(input, path) {
      if (typeof input !== 'number' || !Number.isFinite(input)) {
        return fail(path, `expected a finite number, got ${describe(input)}`);
      }
      if (options.integer && !Number.isInteger(input)) return fail(path, 'expected an integer');
      if (options.min !== undefined && input < options.min) {
        return fail(path, `must be at least ${options.min}`);
      }
      if (options.max !== undefined && input > options.max) {
        return fail(path, `must be at most ${options.max}`);
      }
      return ok(input);
    },
  };
}

/** true or false. */
export function boolean(): Schema<boolean> {
  return {
    read(input, path) {
      return typeof input === 'boolean'
        ? ok(input)
        : fail(path, `expected true or false, got ${describe(input)}`);
    },
  };
}

/** Exactly `value`. */
export function literal<const T extends string | number | boolean>(value: T): Schema<T> {
  return {
    read(input, path) {
      return input === value ? ok(value) : fail(path, `expected ${JSON.stringify(value)}`);
    },
  };
}

/** One of a fixed list of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(
  values: T,
): Schema<T[number]> {
  return {
    read(input, path) {
      const found = values.find((v) => v === input);
      return found === undefined ? fail(path, `expected ${quoteAll(values)}`) : ok(found);
    },
  };
}

/** `schema`, or absent. null is not absent: it is refused by `schema`. */
export function optional<T>(schema: Schema<T>): OptionalSchema<T> {
  return {
    optional: true,
    read(input, path) {
      return input === undefined ? ok(undefined) : schema.read(input, path);
    },
  };
}

/** An array whose every item matches `item`. */
export function array<T>(item: Schema<T>, options: { maxItems?: number } = {}): Schema<T[]> {
  return {
    read(input, path) {
      if (!Array.isArray(input)) return fail(path, `expected an array, got ${describe(input)}`);
      if (options.maxItems !== undefined && input.length > options.maxItems) {
        return fail(path, `more than ${options.maxItems} items`);
      }
      const out: T[] = [];
      for (let i = 0; i < input.length; i++) {
        const result = item.read(input[i], `${path}[${i}]`);
        if (!result.ok) return result;
        out.push(result.value);
      }
      return ok(out);
    },
  };
}

/**
 * A plain object with exactly the fields of `shape` (optional ones may be
 * absent). `name` says what the object is, for the unexpected-field message.
 */
export function object<S extends Shape>(shape: S, name = 'this object'): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  return {
    read(input, path) {
      if (!isPlainObject(input)) return fail(path, `expected an object, got ${describe(input)}`);
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(shape, key)) {
          return fail(fieldPath(path, key), `unexpected field: not part of ${name}`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const schema = shape[key] as Schema<unknown>;
        const value = Object.hasOwn(input, key) ? input[key] : undefined;
        const result = schema.read(value, fieldPath(path, key));
        if (!result.ok) return result;
        if (result.value !== undefined) out[key] = result.value;
      }
      return ok(out as ObjectOf<S>);
    },
  };
}

/**
 * One of several object shapes, chosen by the string field `key` (e.g.
 * `via`), so an error names the field of the shape that was meant.
 */
export function variants<const K extends string, V extends Record<string, Schema<unknown>>>(
  key: K,
  byTag: V,
): Schema<Infer<V[keyof V]>> {
  const tags = Object.keys(byTag) as [string, ...string[]];
  return {
    read(input, path) {
      if (!isPlainObject(input)) return fail(path, `expected an object, got ${describe(input)}`);
      const tag = Object.hasOwn(input, key) ? input[key] : undefined;
      if (typeof tag !== 'string' || !Object.hasOwn(byTag, tag)) {
        return fail(fieldPath(path, key), `expected ${quoteAll(tags)}`);
      }
      return (byTag[tag] as Schema<Infer<V[keyof V]>>).read(input, path);
    },
  };
}

/**
 * A plain object used as a map: every key matches `key`, every value `value`.
 * Keys are defined as own data properties, so `__proto__` stays a key.
 */
export function record<T>(
  key: Schema<string>,
  value: Schema<T>,
  options: { maxKeys?: number } = {},
): Schema<Record<string, T>> {
  return {
    read(input, path) {
      if (!isPlainObject(input)) return fail(path, `expected an object, got ${describe(input)}`);
      const keys = Object.keys(input);
      if (options.maxKeys !== undefined && keys.length > options.maxKeys) {
        return fail(path, `more than ${options.maxKeys} entries`);
      }
      const out: Record<string, T> = {};
      for (const name of keys) {
        const at = fieldPath(path, name);
        const readKey = key.read(name, at);
        if (!readKey.ok) return readKey;
        const readValue = value.read(input[name], at);
        if (!readValue.ok) return readValue;
        Object.defineProperty(out, readKey.value, {
          value: readValue.value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return ok(out);
    },
  };
}
