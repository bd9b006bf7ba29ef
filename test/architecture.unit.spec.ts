import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { cruise } from 'dependency-cruiser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<NonNullable<Parameters<typeof cruise>[1]>['ruleSet']>['forbidden'];
  options: NonNullable<Parameters<typeof cruise>[1]>;
};

describe('architecture', () => {
  it('keeps the boundaries: pure domains, libs never importing apps, no cycles between libs', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(['dist/libs', 'dist/apps'], {
        ...config.options,
        validate: true,
        ruleSet: { forbidden: config.forbidden },
      });
      const output = result.output as {
        summary: { violations: { rule: { name: string }; from: string; to: string }[] };
      };
      const violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
      assert.deepEqual(violations, []);
    } finally {
      process.chdir(cwd);
    }
  });
});
