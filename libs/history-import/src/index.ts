export * from './import-commands.js';
export * from './import-line.js';
export * from './import-run.js';
