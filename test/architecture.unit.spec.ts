import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, it } from '@jest/globals';
import { cruise } from 'dependency-cruiser';
import { repoRoot as root } from '#libs/testing';

const config = createRequire(import.meta.url)(path.join(root, '.dependency-cruiser.cjs')) as {
  forbidden: NonNullable<NonNullable<Parameters<typeof cruise>[1]>['ruleSet']>['forbidden'];
  options: NonNullable<Parameters<typeof cruise>[1]>;
};

describe('architecture', () => {
  it('keeps the boundaries: pure domains, libs never importing apps, no cycles between libs', async () => {
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const result = await cruise(['libs', 'apps'], {
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
