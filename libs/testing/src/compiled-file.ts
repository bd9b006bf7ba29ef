import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder with package.json), from a source file under jest or a compiled one under dist. */
export const repoRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
})();

/**
 * The compiled file for a spec's child process (a fixture, an app's main): jest runs the specs from their sources,
 * but a child process is started with plain node, which runs what `npm run build` wrote to dist/.
 */
export const compiledFile = (file: URL): string => {
  const relative = path.relative(repoRoot, fileURLToPath(file));
  const compiled = path.join(repoRoot, relative.startsWith(`dist${path.sep}`) ? '' : 'dist', relative);
  const js = compiled.replace(/\.ts$/, '.js');
  if (!existsSync(js)) throw new Error(`${js} is missing: run \`npm run build\` first (npm test does)`);
  return js;
};
