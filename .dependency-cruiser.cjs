/**
 * The architecture's boundaries (DESIGN.md, Layout), checked by `test/architecture.unit.spec.ts` in `npm test`.
 * Paths are those of the compiled files (dist/), so the check sees what runs.
 */
module.exports = {
  forbidden: [
    {
      name: 'libs-never-import-apps',
      comment: 'An app imports libs; a lib never imports an app.',
      severity: 'error',
      from: { path: '^dist/libs/' },
      to: { path: '^dist/apps/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'Domain code imports no framework and no I/O: only other pure libs (decider, calendar).',
      severity: 'error',
      from: { path: '^dist/libs/[^/]+/src/domain/', pathNot: '\\.spec\\.js$' },
      to: {
        pathNot: ['^dist/libs/[^/]+/src/domain/', '^dist/libs/(decider|calendar)/'],
      },
    },
    {
      name: 'domain-of-one-context-only',
      comment: "A context's domain does not reach into another context's domain.",
      severity: 'error',
      from: { path: '^dist/libs/([^/]+)/src/domain/', pathNot: '\\.spec\\.js$' },
      to: { path: '^dist/libs/[^/]+/src/domain/', pathNot: '^dist/libs/$1/src/domain/' },
    },
    {
      name: 'no-circular',
      comment: 'Libraries depend on each other in one direction.',
      severity: 'error',
      from: { path: '^dist/libs/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.map$' },
  },
};
