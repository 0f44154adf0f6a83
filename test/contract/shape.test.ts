import { shapeMismatches } from './shape';

describe('the contract shape checker', () => {
  it('accepts a value with every field of the right type, extra fields included', () => {
    expect(
      shapeMismatches(
        { id: 'string', price: 'number', items: [{ name: 'string|null' }] },
        { id: 'a', price: 1, extra: true, items: [{ name: null }] },
      ),
    ).toEqual([]);
  });

  it('names missing and mistyped fields by path, into nested objects and first elements', () => {
    expect(
      shapeMismatches(
        { id: 'string', price: 'number', plan: { id: 'string' }, items: [{ name: 'string' }] },
        { price: '1.00', plan: {}, items: [{ name: 3 }] },
      ),
    ).toEqual([
      '$.id: missing',
      '$.price: string, expected number',
      '$.plan.id: missing',
      '$.items[0].name: number, expected string',
    ]);
  });

  it('counts an empty array and a non-array where an array is documented', () => {
    expect(shapeMismatches([{ id: 'string' }], [])).toEqual(['$: empty array, cannot show $[0]']);
    expect(shapeMismatches([{ id: 'string' }], { items: [] })).toEqual(['$: object {items}, expected array']);
  });
});
