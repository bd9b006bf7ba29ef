// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.cache/**', '.build/**', 'coverage/**', 'examples/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip|todo)$/]',
          message: 'Every test runs.',
        },
      ],
    },
  },
  {
    // Domain libs are pure: no framework, no I/O. (Specs beside them may use the test helpers.)
    files: ['libs/*/src/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'pg',
            'kafkajs',
            'node:fs',
            'node:net',
            'node:http',
            '#libs/event-store',
            '#libs/testing',
            '#libs/platform',
            '#libs/database',
          ].map((name) => ({ name, message: 'Domain code is pure: no I/O, no framework.' })),
          patterns: [{ group: ['@nestjs/*'], message: 'Domain code is pure: no framework.' }],
        },
      ],
    },
  },
);
