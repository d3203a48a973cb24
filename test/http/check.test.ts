import { describe, expect, it } from 'vitest';
import { Fields, ShapeError } from '../../lib/http/check';

function problem(fn: () => unknown): ShapeError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ShapeError) return e;
    throw e;
  }
  throw new Error('expected a ShapeError');
}

describe('Fields', () => {
  it('refuses a body that is not an object, naming its type', () => {
    expect(problem(() => Fields.of('<html>', 'response')).message).toBe(
      'response should be an object, got a string',
    );
    expect(problem(() => Fields.of([1], 'response')).message).toBe(
      'response should be an object, got an array',
    );
    expect(problem(() => Fields.of(null, 'response')).message).toBe(
      'response should be an object, got null',
    );
  });

  it('tells a missing field from one of the wrong type, with its path', () => {
    const f = Fields.of({ sid: 12, list: [{ a: 'x' }, { a: 3 }] }, 'response');
    expect(problem(() => f.string('body')).message).toBe('response.body is missing');
    expect(problem(() => f.string('sid')).message).toBe(
      'response.sid should be a string, got a number',
    );
    const e = problem(() => f.array('list', (item, path) => Fields.of(item, path).string('a')));
    expect(e.path).toBe('response.list[1].a');
    expect(e.problem).toBe('should be a string, got a number');
  });

  it('reads null and absent optional fields as undefined but checks present ones', () => {
    const f = Fields.of({ a: null, n: 'x', b: true }, 'r');
    expect(f.optionalString('a')).toBeUndefined();
    expect(f.optionalString('missing')).toBeUndefined();
    expect(f.optionalBoolean('b')).toBe(true);
    expect(problem(() => f.optionalNumber('n')).message).toBe(
      'r.n should be a number or null, got a string',
    );
    expect(f.optionalArray('missing', () => 1)).toEqual([]);
  });

  it('refuses empty ids, values outside an enum and unreadable dates', () => {
    const f = Fields.of(
      { id: ' ', dir: 'sideways', at: 'yesterday', ok: '2025-03-01T10:00:00.000Z' },
      'm',
    );
    expect(problem(() => f.id('id')).message).toBe('m.id is empty');
    expect(problem(() => f.oneOf('dir', ['inbound', 'outbound'])).message).toBe(
      'm.dir should be one of inbound, outbound',
    );
    expect(problem(() => f.date('at')).message).toBe('m.at is not a readable date');
    expect(f.date('ok').date.toISOString()).toBe('2025-03-01T10:00:00.000Z');
  });

  it('refuses NaN-like numbers and non-integers where integers are needed', () => {
    const f = Fields.of({ n: 1.5 }, 'r');
    expect(problem(() => f.optionalInteger('n')).message).toBe(
      'r.n should be an integer or null, got a number',
    );
  });
});
