/** `waitlistPosition` → `waitlist_position`; keys already in snake_case stay as they are. */
const snakeCase = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/**
 * A copy with every object key in snake_case, at any depth: facts and folded states are recorded
 * in the code's camelCase, and the API answers snake_case everywhere. Values are not touched.
 */
export const snakeCaseKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(snakeCaseKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), snakeCaseKeys(v)]));
};
