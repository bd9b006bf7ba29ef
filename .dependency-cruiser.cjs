/**
 * The architecture's boundaries (DESIGN.md, Layout), checked by `test/architecture.unit.spec.ts` in `npm test`.
 * It reads the TypeScript sources (no build needed): `#libs/*` resolves through package.json `imports` to each lib's
 * index.ts, and a relative `./x.js` to `./x.ts`, as tsc resolves them.
 */
const CONTEXTS = '^libs/(enrolment|waitlist|admission|funding|statistics|audit|integration|personal-data)/';
const TEST_CODE = ['\\.spec\\.ts$', '/fixtures/'];

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
      name: 'another-lib-only-through-its-index',
      comment: 'A lib or app uses another lib through its index.ts only, never its internals (its domain/ included).',
      severity: 'error',
      from: { path: '^(libs|apps)/([^/]+)/' },
      to: { path: '^libs/[^/]+/', pathNot: ['^libs/$2/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'shared-libs-know-no-context',
      comment: 'The plumbing (projections runner, platform) serves every context and names none of them.',
      severity: 'error',
      from: {
        path: '^libs/(projections|platform|event-store|database|decider|calendar|municipality)/',
        pathNot: TEST_CODE,
      },
      to: { path: CONTEXTS },
    },
    {
      name: 'no-app-imports-another-app',
      comment: 'Each app is its own deployable; what two apps share lives in a lib.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
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
