const PLACEHOLDER = /\{(\w+)\}/g;

/** Replaces every {name} in a string; a name without a value is a mistake in the fixtures. */
const fillString = (text: string, values: Record<string, string>) =>
  text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`no value for placeholder {${name}} (add it to the example's given)`);
    return value;
  });

/** A copy of a documented path or body with the scene's real ids, emails, phones and dates. */
export const fillPlaceholders = <T>(template: T, values: Record<string, string>): T => {
  if (typeof template === 'string') return fillString(template, values) as T;
  if (Array.isArray(template)) return template.map((item) => fillPlaceholders(item, values)) as T;
  if (template !== null && typeof template === 'object')
    return Object.fromEntries(
      Object.entries(template).map(([key, value]) => [key, fillPlaceholders(value, values)]),
    ) as T;
  return template;
};
