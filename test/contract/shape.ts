import type { Shape } from '../../src/api/openapi/contractExample';

/** The JSON type of a parsed value, as the design's examples name them. */
export const jsonTypeOf = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

/** A value's type for a message; an object names its keys, to show what came instead. */
const describeValue = (value: unknown) =>
  jsonTypeOf(value) === 'object' ? `object {${Object.keys(value as object).join(', ')}}` : jsonTypeOf(value);

const typeAllows = (expected: string, value: unknown) =>
  expected.split('|').some((alternative) => alternative.trim() === jsonTypeOf(value));

/**
 * Where `value` falls short of `shape`: one line per missing or mistyped field, with its path
 * (`bookings[0].status`). Extra fields are fine; an empty array cannot show its elements, so it
 * counts as a shortfall when the design shows what they hold.
 */
export const shapeMismatches = (shape: Shape, value: unknown, path = '$'): string[] => {
  if (typeof shape === 'string') {
    return typeAllows(shape, value) ? [] : [`${path}: ${jsonTypeOf(value)}, expected ${shape}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path}: ${describeValue(value)}, expected array`];
    if (value.length === 0) return [`${path}: empty array, cannot show ${path}[0]`];
    return shapeMismatches(shape[0], value[0], `${path}[0]`);
  }
  if (jsonTypeOf(value) !== 'object') return [`${path}: ${jsonTypeOf(value)}, expected object`];
  const record = value as Record<string, unknown>;
  return Object.entries(shape).flatMap(([field, fieldShape]) =>
    field in record
      ? shapeMismatches(fieldShape, record[field], `${path}.${field}`)
      : [`${path}.${field}: missing`],
  );
};
