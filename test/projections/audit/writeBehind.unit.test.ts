import { inlineBindings } from '../../../src/projections/engine/writeBehind';

describe('inlining a held write’s bindings', () => {
  it('puts each value where its placeholder stands, quoted as PostgreSQL reads it', () => {
    expect(
      inlineBindings('insert into "t" ("a", "b", "c", "d") values ($1, $2, $3, $4)', [
        "O'Brien",
        null,
        42,
        new Date('2026-11-25T08:00:00.000Z'),
      ]),
    ).toMatch(
      /^insert into "t" \("a", "b", "c", "d"\) values \('O''Brien', NULL, '42', '2026-11-25T\d\d:00:00\.000[+-]\d\d:\d\d'\)$/,
    );
  });

  it('leaves a $n inside a quoted string or identifier alone, and escapes backslashes', () => {
    expect(inlineBindings(`select '$1', "$2" from t where a = $1`, ['x\\y'])).toBe(
      `select '$1', "$2" from t where a =  E'x\\\\y'`,
    );
  });

  it('serialises objects and arrays the way pg would send them', () => {
    expect(inlineBindings('update t set j = $1, a = $2', [{ k: 'v' }, ['a', 'b']])).toBe(
      `update t set j = '{"k":"v"}', a = '{"a","b"}'`,
    );
  });
});
