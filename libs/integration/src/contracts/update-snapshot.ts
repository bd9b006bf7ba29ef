/**
 * Writes the current v1 schemas to __snapshots__/v1.json. Run it only for a reviewed, compatible addition
 * (`node dist/libs/integration/src/contracts/update-snapshot.js`): the compatibility test compares against it.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MESSAGE_CONTRACTS } from './catalogue.js';
import { breakingChangesSince } from './compatibility.js';
import { readSnapshot, repoRoot, SNAPSHOT_FILE } from './snapshot.js';

const current = Object.fromEntries(MESSAGE_CONTRACTS.map((c) => [c.type, c.schema as Record<string, unknown>]));
const breaking = breakingChangesSince(await readSnapshot(), current);
if (breaking.length) {
  console.error('Refusing to snapshot breaking changes (publish them as a new version):');
  for (const change of breaking) console.error(`  ${change.path}: ${change.problem}`);
  process.exit(1);
}
await writeFile(path.join(repoRoot, SNAPSHOT_FILE), `${JSON.stringify(current, null, 2)}\n`);
console.log(`wrote ${SNAPSHOT_FILE} (${MESSAGE_CONTRACTS.length} message types)`);
