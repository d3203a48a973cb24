/**
 * A small reader for API response bodies. Responses are open objects (the
 * providers add fields all the time), so unknown fields are ignored; the
 * fields we use are checked for presence and type, and the first problem is
 * thrown as a `ShapeError` naming its path (`messages[3].date_sent`).
 */

/** A date as the provider sent it, with its parsed value. */
export interface DatedText {
  text: string;
  date: Date;
}

/** A response body that does not match what the specification promises. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
  readonly path: string;
  /** What is wrong, e.g. `is missing`. */
  readonly problem: string;

  constructor(path: string, problem: string) {
    super(`${path} ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

/** Names the type of a value for an error message, without quoting its content. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Read access to one JSON object, tracking where it sits in the response. */
export class Fields {
  readonly path: string;
  readonly #value: Record<string, unknown>;

  private constructor(value: Record<string, unknown>, path: string) {
    this.#value = value;
    this.path = path;
  }

  /** Wraps `value`, which must be an object, found at `path`. */
  static of(value: unknown, path: string): Fields {
    if (!isRecord(value))
      throw new ShapeError(path, `should be an object, got ${describeType(value)}`);
    return new Fields(value, path);
  }

  /** The path of a field of this object. */
  at(key: string): string {
    return `${this.path}.${key}`;
  }

  /** True when the field is present and not null. */
  has(key: string): boolean {
    return this.#value[key] !== undefined && this.#value[key] !== null;
  }

  /** The raw value of a field, for fields with more than one allowed shape. */
  raw(key: string): unknown {
    return this.#value[key];
  }

  #present(key: string): unknown {
    const value = this.#value[key];
    if (value === undefined) throw new ShapeError(this.at(key), 'is missing');
    return value;
  }

  #typed<T>(key: string, value: unknown, ok: (v: unknown) => v is T, expected: string): T {
    if (!ok(value)) {
      throw new ShapeError(this.at(key), `should be ${expected}, got ${describeType(value)}`);
    }
    return value;
  }

  /** A required string. */
  string(key: string): string {
    return this.#typed(key, this.#present(key), isString, 'a string');
  }

  /** A required, non-empty string. */
  id(key: string): string {
    const value = this.string(key);
    if (value.trim() === '') throw new ShapeError(this.at(key), 'is empty');
    return value;
  }

  /** A string that may be missing or null. */
  optionalString(key: string): string | undefined {
    const value = this.#value[key];
    if (value === undefined || value === null) return undefined;
    return this.#typed(key, value, isString, 'a string or null');
  }

  /** A required boolean. */
  boolean(key: string): boolean {
    return this.#typed(key, this.#present(key), isBoolean, 'a boolean');
  }

  /** A boolean that may be missing or null. */
  optionalBoolean(key: string): boolean | undefined {
    const value = this.#value[key];
    if (value === undefined || value === null) return undefined;
    return this.#typed(key, value, isBoolean, 'a boolean or null');
  }

  /** A required finite number. */
  number(key: string): number {
    return this.#typed(key, this.#present(key), isFiniteNumber, 'a number');
  }

  /** A number that may be missing or null. */
  optionalNumber(key: string): number | undefined {
    const value = this.#value[key];
    if (value === undefined || value === null) return undefined;
    return this.#typed(key, value, isFiniteNumber, 'a number or null');
  }

  /** An integer that may be missing or null. */
  optionalInteger(key: string): number | undefined {
    const value = this.#value[key];
    if (value === undefined || value === null) return undefined;
    return this.#typed(key, value, isInteger, 'an integer or null');
  }

  /** A required nested object. */
  object(key: string): Fields {
    return Fields.of(this.#present(key), this.at(key));
  }

  /** A nested object that may be missing or null. */
  optionalObject(key: string): Fields | undefined {
    const value = this.#value[key];
    if (value === undefined || value === null) return undefined;
    return Fields.of(value, this.at(key));
  }

  /** A required array, each item read by `each`. */
  array<T>(key: string, each: (item: unknown, path: string) => T): T[] {
    const value = this.#typed(key, this.#present(key), Array.isArray, 'an array');
    return value.map((item, i) => each(item, `${this.at(key)}[${i}]`));
  }

  /** An array that may be missing or null (read as empty). */
  optionalArray<T>(key: string, each: (item: unknown, path: string) => T): T[] {
    const value = this.#value[key];
    if (value === undefined || value === null) return [];
    return this.array(key, each);
  }

  /** A required string that must be one of `allowed`. */
  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.string(key);
    if (!(allowed as readonly string[]).includes(value)) {
      throw new ShapeError(this.at(key), `should be one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  /** A required date string; `parse` turns it into a Date (invalid → error). */
  date(key: string, parse: (text: string) => Date = (t) => new Date(t)): DatedText {
    const text = this.string(key);
    return { text, date: checkDate(text, parse, this.at(key)) };
  }

  /** A date string that may be missing or null. */
  optionalDate(
    key: string,
    parse: (text: string) => Date = (t) => new Date(t),
  ): DatedText | undefined {
    const text = this.optionalString(key);
    if (text === undefined) return undefined;
    return { text, date: checkDate(text, parse, this.at(key)) };
  }
}

function checkDate(text: string, parse: (text: string) => Date, path: string): Date {
  const date = parse(text);
  if (Number.isNaN(date.getTime())) throw new ShapeError(path, 'is not a readable date');
  return date;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
function isBoolean(v: unknown): v is boolean {
  return typeof v === 'boolean';
}
function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
function isInteger(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
