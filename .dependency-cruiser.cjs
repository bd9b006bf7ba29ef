/**
 * The architecture's boundaries (DESIGN.md, Layout), checked by `test/architecture.unit.spec.ts` in `npm test`.
 * It reads the TypeScript sources (no build needed): `#libs/*` resolves through package.json `imports` to each lib's
 * index.ts, and a relative `./x.js` to `./x.ts`, as tsc resolves them.
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      comment: 'An app imports libs; a lib never imports an app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'Domain code imports no framework and no I/O: only other pure libs (decider, calendar, municipality).',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/domain/', pathNot: '\\.spec\\.ts$' },
      to: {
        pathNot: ['^libs/[^/]+/src/domain/', '^libs/(decider|calendar|municipality)/'],
      },
    },
    {
      name: 'domain-of-one-context-only',
      comment: "A context's domain does not reach into another context's domain.",
      severity: 'error',
      from: { path: '^libs/([^/]+)/src/domain/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^libs/[^/]+/src/domain/', pathNot: '^libs/$1/src/domain/' },
    },
    {
      name: 'no-circular',
      comment: 'Libraries depend on each other in one direction.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      conditionNames: ['types', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.json'],
      extensionAlias: { '.js': ['.ts', '.js'] },
    },
  },
};
