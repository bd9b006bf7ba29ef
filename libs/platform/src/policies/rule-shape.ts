/** Where a set of rules departs from the shape of a context's defaults, if it does. */
export type ShapeProblem =
  | { kind: 'unknown'; path: string }
  | { kind: 'wrong-kind'; path: string; expected: unknown }
  | { kind: 'missing-parts'; path: string; missing: string[] };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const kindOf = (value: unknown) => (Array.isArray(value) ? 'list' : typeof value);

/** Each rule must be one of the defaults' with a value of the same kind; a rule made of parts is given whole. */
export const shapeProblem = (
  defaults: Readonly<Record<string, unknown>>,
  rules: Readonly<Record<string, unknown>>,
  path = '',
): ShapeProblem | undefined => {
  for (const [rule, value] of Object.entries(rules)) {
    const expected = defaults[rule];
    const at = path ? `${path}.${rule}` : rule;
    if (expected === undefined) return { kind: 'unknown', path: at };
    if (value === null || kindOf(value) !== kindOf(expected)) return { kind: 'wrong-kind', path: at, expected };
    if (isPlainObject(expected) && isPlainObject(value)) {
      const inner = shapeProblem(expected, value, at);
      if (inner) return inner;
      // Rules are merged rule by rule, so a rule made of parts replaces the whole rule.
      const missing = Object.keys(expected).filter((part) => !(part in value));
      if (missing.length > 0) return { kind: 'missing-parts', path: at, missing };
    }
  }
  return undefined;
};

export const describeShapeProblem = (problem: ShapeProblem, context: string): string => {
  switch (problem.kind) {
    case 'unknown':
      return `${problem.path} is not a ${context} rule`;
    case 'wrong-kind':
      return `${problem.path} must be a ${kindOf(problem.expected)} like ${JSON.stringify(problem.expected)}`;
    case 'missing-parts':
      return `${problem.path} must also give ${problem.missing.join(', ')}`;
  }
};
