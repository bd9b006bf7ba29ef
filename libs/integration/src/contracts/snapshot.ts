import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SNAPSHOT_FILE = 'libs/integration/src/contracts/__snapshots__/v1.json';

/** The repository root (the folder with package.json), from wherever the compiled file runs. */
export const repoRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('no package.json above the integration lib');
    dir = parent;
  }
  return dir;
})();

export const readSnapshot = async (): Promise<Record<string, { readonly [keyword: string]: unknown }>> => {
  const text = await readFile(path.join(repoRoot, SNAPSHOT_FILE), 'utf8').catch(() => '{}');
  return JSON.parse(text) as Record<string, { readonly [keyword: string]: unknown }>;
};
