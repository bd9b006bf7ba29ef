/*
 * Consumer compatibility of a JSON Schema change within one message version: whatever a producer may send under
 * the new schema must still be understood by a consumer written against the old one. Additive optional fields
 * pass (consumers ignore unknown fields); removing or renaming a field, changing a type, making a field newly
 * required or no longer required, and widening an enum, const, format or pattern fail.
 */

type Schema = { readonly [keyword: string]: unknown };

export interface BreakingChange {
  path: string;
  problem: string;
}

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const typesOf = (schema: Schema): string => {
  const type = schema.type;
  return (Array.isArray(type) ? [...(type as string[])].sort() : type === undefined ? [] : [String(type)]).join('|');
};

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export const breakingChanges = (before: Schema, after: Schema, path = '$'): BreakingChange[] => {
  const found: BreakingChange[] = [];
  const breaks = (problem: string, at = path) => found.push({ path: at, problem });

  if (typesOf(before) !== typesOf(after)) breaks(`type changed from ${typesOf(before)} to ${typesOf(after)}`);
  if (before.enum !== undefined) {
    const allowed = new Set(stringsOf(before.enum));
    const added = after.enum === undefined ? ['any value'] : stringsOf(after.enum).filter((v) => !allowed.has(v));
    if (added.length) breaks(`enum widened by ${added.join(', ')}`);
  }
  for (const keyword of ['const', 'format', 'pattern'] as const) {
    if (before[keyword] !== undefined && !same(before[keyword], after[keyword])) breaks(`${keyword} changed`);
  }

  const requiredBefore = new Set(stringsOf(before.required));
  const requiredAfter = new Set(stringsOf(after.required));
  for (const name of requiredAfter) if (!requiredBefore.has(name)) breaks(`field ${name} is newly required`);
  for (const name of requiredBefore) if (!requiredAfter.has(name)) breaks(`field ${name} is no longer required`);

  const propertiesBefore = isSchema(before.properties) ? before.properties : {};
  const propertiesAfter = isSchema(after.properties) ? after.properties : {};
  for (const [name, schema] of Object.entries(propertiesBefore)) {
    const next = propertiesAfter[name];
    if (!isSchema(next)) breaks(`field ${name} was removed or renamed`);
    else if (isSchema(schema)) found.push(...breakingChanges(schema, next, `${path}.${name}`));
  }

  if (isSchema(before.items)) {
    if (!isSchema(after.items)) breaks('items schema removed');
    else found.push(...breakingChanges(before.items, after.items, `${path}[]`));
  }

  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branchesBefore = Array.isArray(before[keyword]) ? (before[keyword] as unknown[]) : [];
    const branchesAfter = Array.isArray(after[keyword]) ? (after[keyword] as unknown[]) : [];
    if (branchesBefore.length === 0 && branchesAfter.length === 0) continue;
    if (branchesBefore.length !== branchesAfter.length) {
      breaks(`${keyword} changed from ${branchesBefore.length} to ${branchesAfter.length} alternatives`);
      continue;
    }
    branchesBefore.forEach((branch, index) => {
      const next = branchesAfter[index];
      if (isSchema(branch) && isSchema(next)) found.push(...breakingChanges(branch, next, `${path}|${index}`));
    });
  }
  return found;
};

/** Compares every message of a committed snapshot with the current schemas; a vanished message type breaks too. */
export const breakingChangesSince = (
  snapshot: Readonly<Record<string, Schema>>,
  current: Readonly<Record<string, Schema>>,
): BreakingChange[] =>
  Object.entries(snapshot).flatMap(([type, schema]) => {
    const now = current[type];
    if (!now) return [{ path: type, problem: 'message type removed from its version' }];
    return breakingChanges(schema, now).map((change) => ({ ...change, path: `${type} ${change.path}` }));
  });
