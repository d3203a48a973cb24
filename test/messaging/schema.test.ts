import { describe, expect, expectTypeOf, it } from 'vitest';
import { sendSchema } from '../../lib/messaging/protocol';
import {
  array,
  boolean,
  formatIssue,
  type Infer,
  literal,
  number,
  object,
  oneOf,
  optional,
  parse,
  record,
  string,
  variants,
} from '../../lib/messaging/schema';
import type { Send } from '../../lib/rules/types';

function issueOf(result: ReturnType<typeof parse>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return formatIssue(result.issue, 'payload');
}

describe('scalar schemas', () => {
  it('string accepts strings and refuses others, empty and overlong ones', () => {
    expect(parse(string(), 'abc')).toEqual({ ok: true, value: 'abc' });
    expect(issueOf(parse(string(), 42))).toBe('payload: expected a string, got a number');
    expect(issueOf(parse(string(), ''))).toBe('payload: must not be empty');
    expect(parse(string({ nonEmpty: false }), '')).toEqual({ ok: true, value: '' });
    expect(issueOf(parse(string({ maxLength: 3 }), 'abcd'))).toBe(
      'payload: longer than 3 characters',
    );
  });

  it('number refuses NaN, non-integers and values out of bounds', () => {
    expect(parse(number({ integer: true, min: 0, max: 10 }), 3)).toEqual({ ok: true, value: 3 });
    expect(issueOf(parse(number(), Number.NaN))).toMatch(/expected a finite number/);
    expect(issueOf(parse(number({ integer: true }), 1.5))).toBe('payload: expected an integer');
    expect(issueOf(parse(number({ min: 0 }), -1))).toBe('payload: must be at least 0');
    expect(issueOf(parse(number({ max: 10 }), 11))).toBe('payload: must be at most 10');
  });

  it('boolean, literal and oneOf accept only their values', () => {
    expect(parse(boolean(), false)).toEqual({ ok: true, value: false });
    expect(issueOf(parse(boolean(), 'true'))).toBe('payload: expected true or false, got a string');
    expect(parse(literal('bulk'), 'bulk')).toEqual({ ok: true, value: 'bulk' });
    expect(issueOf(parse(literal('bulk'), 'Bulk'))).toBe('payload: expected "bulk"');
    expect(parse(oneOf(['a', 'b']), 'b')).toEqual({ ok: true, value: 'b' });
    expect(issueOf(parse(oneOf(['a', 'b', 'c']), 'd'))).toBe('payload: expected "a", "b" or "c"');
  });
});

describe('object', () => {
  const contact = object({ id: string(), name: optional(string()) }, 'a contact');

  it('builds a fresh object with only the declared fields, leaving absent optionals out', () => {
    const input = { id: 'c1' };
    const result = parse(contact, input);
    expect(result).toEqual({ ok: true, value: { id: 'c1' } });
    expect(result.ok && result.value).not.toBe(input);
    expect(result.ok && 'name' in result.value).toBe(false);
  });

  it('names the missing or wrong field by its path', () => {
    const nested = object({ contact });
    expect(issueOf(parse(nested, { contact: {} }))).toBe(
      'contact.id: expected a string, got nothing',
    );
    expect(issueOf(parse(nested, { contact: { id: 'c1', name: null } }))).toBe(
      'contact.name: expected a string, got null',
    );
  });

  it('refuses fields it does not declare, including __proto__', () => {
    expect(issueOf(parse(contact, { id: 'c1', admin: true }))).toBe(
      'admin: unexpected field: not part of a contact',
    );
    expect(issueOf(parse(contact, JSON.parse('{"id":"c1","__proto__":{"x":1}}')))).toBe(
      '__proto__: unexpected field: not part of a contact',
    );
  });

  it('refuses arrays, null and class instances where an object is expected', () => {
    expect(issueOf(parse(contact, ['c1']))).toBe('payload: expected an object, got an array');
    expect(issueOf(parse(contact, null))).toBe('payload: expected an object, got null');
    expect(issueOf(parse(contact, new Date(0)))).toBe('payload: expected an object, got an object');
  });

  it('infers optional fields as optional properties', () => {
    expectTypeOf<Infer<typeof contact>>().toEqualTypeOf<{ id: string; name?: string }>();
  });
});

describe('array', () => {
  it('checks every item and names the index of the bad one', () => {
    const ids = object({ ids: array(string(), { maxItems: 3 }) });
    expect(parse(ids, { ids: ['a', 'b'] })).toEqual({ ok: true, value: { ids: ['a', 'b'] } });
    expect(issueOf(parse(ids, { ids: ['a', 7] }))).toBe('ids[1]: expected a string, got a number');
    expect(issueOf(parse(ids, { ids: ['a', 'b', 'c', 'd'] }))).toBe('ids: more than 3 items');
    expect(issueOf(parse(ids, { ids: 'a' }))).toBe('ids: expected an array, got a string');
  });
});

describe('variants', () => {
  const shape = variants('kind', {
    dog: object({ kind: literal('dog'), barks: boolean() }, 'a dog'),
    cat: object({ kind: literal('cat') }, 'a cat'),
  });

  it('reads the shape named by the tag, and names the tag when it is unknown', () => {
    expect(parse(shape, { kind: 'dog', barks: true })).toEqual({
      ok: true,
      value: { kind: 'dog', barks: true },
    });
    expect(issueOf(parse(shape, { kind: 'cat', barks: true }))).toBe(
      'barks: unexpected field: not part of a cat',
    );
    expect(issueOf(parse(shape, { kind: 'cow' }))).toBe('kind: expected "dog" or "cat"');
    expect(issueOf(parse(shape, { kind: 'toString' }))).toBe('kind: expected "dog" or "cat"');
  });
});

describe('sendSchema', () => {
  it('accepts each kind of send of lib/rules/types.ts', () => {
    const sends: Send[] = [
      { via: 'conversation', contactId: 'c1' },
      { via: 'conversation', contactId: 'c1', userId: 'u1', pick: '+14155550101' },
      { via: 'workflow', contactId: 'c1', userId: 'u1', fromNumber: '(415) 555-0101' },
      { via: 'bulk', contactId: 'c1', fromNumber: '+14155550101' },
    ];
    for (const send of sends) expect(parse(sendSchema, send)).toEqual({ ok: true, value: send });
  });

  it('refuses fields that belong to another kind of send', () => {
    expect(issueOf(parse(sendSchema, { via: 'bulk', contactId: 'c1', userId: 'u1' }))).toBe(
      'userId: unexpected field: not part of a bulk send',
    );
    expect(
      issueOf(parse(sendSchema, { via: 'workflow', contactId: 'c1', pick: '+14155550101' })),
    ).toBe('pick: unexpected field: not part of a workflow send');
    expect(
      issueOf(parse(sendSchema, { via: 'conversation', contactId: 'c1', fromNumber: '+1415' })),
    ).toBe('fromNumber: unexpected field: not part of a conversation send');
  });
});

describe('record', () => {
  const routes = record(oneOf(['a', 'b']), number());

  it('reads a map, naming the entry at fault', () => {
    expect(parse(routes, { a: 1, b: 2 })).toEqual({ ok: true, value: { a: 1, b: 2 } });
    expect(parse(routes, { a: 1, c: 2 })).toEqual({
      ok: false,
      issue: { path: 'c', message: 'expected "a" or "b"' },
    });
    expect(parse(routes, { a: 'x' })).toEqual({
      ok: false,
      issue: { path: 'a', message: 'expected a finite number, got a string' },
    });
  });

  it('keeps __proto__ a key, not a prototype', () => {
    const read = parse(record(string(), number()), JSON.parse('{"__proto__": 5}'));
    if (!read.ok) throw new Error('refused');
    expect(Object.getPrototypeOf(read.value)).toBe(Object.prototype);
    expect(Object.keys(read.value)).toEqual(['__proto__']);
  });

  it('bounds the number of entries', () => {
    expect(parse(record(string(), number(), { maxKeys: 1 }), { a: 1, b: 2 })).toEqual({
      ok: false,
      issue: { path: '', message: 'more than 1 entries' },
    });
  });
});
