/**
 * npm run seed — a living school today: two school years of history for Trondheim (3,700 students, 4,700 places,
 * 1,600 waiting, 14 Kulturdag schools) and a smaller second municipality (Lindesnes), ending in the school year the
 * clock is in. The history is written as import lines with the dates things happened (scripts/seed-plan.ts) and goes
 * through the same import as a municipality's own (`npm run import`, ADR 0014): idempotent, so a re-run after a
 * crash completes what is missing. It runs the host in this process on the database `npm start` uses (stop
 * `npm start` first) and ends by reading the summary for today and GSI for each 1 October back from the query API.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeReport, runImport } from '#libs/history-import';
import { exitWhenDone, startLocalHost } from './local-host.js';
import { PROFILES, SEED, seedHistory, type Figures } from './seed-plan.js';

process.env.ACCEPT_SYNTHETIC_NATIONAL_IDS = '1';
const CONCURRENCY = Number(process.env.SEED_CONCURRENCY ?? 8);

const main = async () => {
  const host = await startLocalHost('seed');
  const started = Date.now();
  const folder = path.join(process.env.DATA_DIR ?? '.data', 'seed');
  await mkdir(folder, { recursive: true });
  try {
    for (const profile of Object.values(PROFILES)) {
      const history = seedHistory(profile, SEED, new Date());
      const file = path.join(folder, `${profile.tenant}.jsonl`);
      const text = history.lines.map((line) => JSON.stringify(line)).join('\n');
      await writeFile(file, `${text}\n`);
      console.log(
        `\n${profile.tenant}: ${history.lines.length} lines (${file}), ${history.schoolYears.previous} and ${history.schoolYears.current}`,
      );
      const token = await host.adminToken(profile.tenant);
      const report = await runImport(text, { baseUrl: host.baseUrl, token, concurrency: CONCURRENCY });
      console.log(describeReport(report));
      if (report.refused.length || report.skipped.length)
        throw new Error(`${profile.tenant}: the seed's own history was refused`);
      await showFigures(host.baseUrl, token, history.expected);
    }
    console.log(`\nseeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await host.stop();
  }
};

/** Reads the figures back once the read models have caught up, beside the plan's. */
const showFigures = async (baseUrl: string, token: string, expected: ReturnType<typeof seedHistory>['expected']) => {
  const get = async (url: string) => {
    const response = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
    return (await response.json()) as Record<string, unknown>;
  };
  const row = (label: string, actual: Figures, planned: Figures) =>
    console.log(
      `  ${label.padEnd(26)} ${String(actual.students).padStart(6)} students ${String(actual.places).padStart(6)} places ` +
        `${String(actual.waitingChildren).padStart(6)} waiting   (plan: ${planned.students} / ${planned.places} / ${planned.waitingChildren})`,
    );
  // The read model follows the import by a moment: wait until it shows the plan or stops moving.
  const deadline = Date.now() + 120_000;
  let summary: Figures = { students: 0, places: 0, waitingChildren: 0 };
  for (let unchanged = 0; unchanged < 5 && Date.now() < deadline;) {
    const body = await get(`/statistics/summary?date=${expected.today.date}`);
    const next = (body.summary ?? {}) as Figures;
    if (next.places === expected.today.places && next.waitingChildren === expected.today.waitingChildren) {
      summary = next;
      break;
    }
    unchanged = next.places === summary.places && next.waitingChildren === summary.waitingChildren ? unchanged + 1 : 0;
    summary = next;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  row(`today (${expected.today.date})`, summary, expected.today);
  for (const [year, planned] of Object.entries(expected.gsi)) {
    const body = await get(`/statistics/gsi/${year}`);
    const items = (body.items ?? []) as { line: string; total: number }[];
    const total = (line: string) => items.find((item) => item.line === line)?.total ?? 0;
    row(`GSI 1 October ${year}`, { students: total('A4'), places: total('A5'), waitingChildren: total('A6') }, planned);
  }
};

await exitWhenDone(main());
