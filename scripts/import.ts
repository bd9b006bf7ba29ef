/**
 * npm run import -- --file <history.jsonl> [--tenant <id>] [--report <report.json>]
 * Records a school's past from its old system: one command per line, each with the date it happened (ADR 0014).
 * Runs the host in this process on the database `npm start` uses (stop `npm start` first). Idempotent: run the same
 * file again after a crash or a fix and only what is missing is recorded. Prints a summary; the report file lists
 * every refused line with the platform's reason.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { describeReport, runImport } from '#libs/history-import';
import { exitWhenDone, startLocalHost } from './local-host.js';

const main = async () => {
  const { values } = parseArgs({
    options: { file: { type: 'string' }, tenant: { type: 'string' }, report: { type: 'string' } },
  });
  if (!values.file)
    throw new Error('usage: npm run import -- --file <history.jsonl> [--tenant <id>] [--report <file>]');
  const text = await readFile(values.file, 'utf8');
  const host = await startLocalHost('import');
  try {
    const tenant = values.tenant ?? host.defaultTenant;
    const report = await runImport(text, { baseUrl: host.baseUrl, token: await host.adminToken(tenant) });
    console.log(`tenant ${tenant}: ${describeReport(report)}`);
    if (values.report) await writeFile(values.report, JSON.stringify(report, null, 2));
    if (report.refused.length || report.skipped.length) process.exitCode = 2;
  } finally {
    await host.stop();
  }
};

await exitWhenDone(main());
