import {
  importCommand,
  IMPORT_COMMANDS,
  referencesOf,
  type ImportCommandName,
  type Outputs,
} from './import-commands.js';
import { parseImportFile, type ImportLine, type LineRefusal } from './import-line.js';

/** Where the import sends its commands: a running platform and an admin's token of the tenant being imported. */
export interface ImportTarget {
  baseUrl: string;
  token: string;
  /** Lines in flight at once (default 8); lines that reference each other still run in order. */
  concurrency?: number;
  /** How long a line waits out a busy or not-yet-ready platform (503, a key still held, a waitlist being opened). */
  patienceMs?: number;
}

export interface RefusedLine extends LineRefusal {
  command?: ImportCommandName;
  status?: number;
  /** The problem+json the platform answered with: its title, detail and the fields it named. */
  problem?: { type?: string; title?: string; detail?: string; errors?: unknown };
}

export interface ImportReport {
  lines: number;
  recorded: number;
  refused: RefusedLine[];
  /** Lines not sent because a line they reference was refused. */
  skipped: RefusedLine[];
  perCommand: Record<string, { recorded: number; refused: number; skipped: number }>;
  /** As-of builds of days the import reached back to, dropped so that they are built again with the past in them. */
  droppedAsOfBuilds: string[];
  seconds: number;
}

/**
 * An as-of build of a day the imported history reaches was made without it: drop it, so the next request (GSI of a
 * past 1 October, say) builds it again with everything known then (ADR 0014). Where the platform serves no as-of
 * builds (an app without projections), there is nothing to drop.
 */
const dropStaleAsOfBuilds = async (target: ImportTarget, earliest: string | undefined): Promise<string[]> => {
  if (!earliest) return [];
  const headers = { authorization: `Bearer ${target.token}` };
  const listed = await fetch(`${target.baseUrl}/projections/as-of`, { headers });
  if (!listed.ok) return [];
  const { builds } = (await listed.json()) as { builds: { name: string; untilTime: string | null; state: string }[] };
  const stale = builds.filter((b) => b.untilTime !== null && Date.parse(b.untilTime) >= Date.parse(earliest));
  const dropped: string[] = [];
  for (const build of stale) {
    const response = await fetch(`${target.baseUrl}/projections/as-of/${encodeURIComponent(build.name)}`, {
      method: 'DELETE',
      headers,
    });
    if (response.ok) dropped.push(build.name);
  }
  return dropped;
};

type Outcome = { ok: true; outputs: Outputs; answer: unknown } | { ok: false };

// A key the platform still holds for an interrupted earlier run, a busy store, or a waitlist the admission process
// is still opening for a just-opened offering: each clears by itself, so the line waits rather than fails.
const isTransient = (status: number, body: string, path: string): boolean =>
  status === 503 ||
  (status === 409 && (body.includes('still being processed') || body.includes('concurrent-change'))) ||
  (status === 404 && path.startsWith('/waitlist/offerings/') && body.includes('aitlist'));

/**
 * Records a school's past through the command API, line by line: each line is one command with its own time
 * (`X-Occurred-At`) and a fixed Idempotency-Key (`import:<key>`), so running the same file again records nothing
 * twice and carries on after a crash. Refusals are reported with the platform's own reason; lines that need a
 * refused line are skipped and say which.
 */
export const runImport = async (text: string, target: ImportTarget): Promise<ImportReport> => {
  const started = Date.now();
  const { lines, refused: malformed } = parseImportFile(text);
  const report: ImportReport = {
    lines: lines.length + malformed.length,
    recorded: 0,
    refused: [...malformed],
    skipped: [],
    perCommand: Object.fromEntries(
      Object.keys(IMPORT_COMMANDS).map((name) => [name, { recorded: 0, refused: 0, skipped: 0 }]),
    ),
    droppedAsOfBuilds: [],
    seconds: 0,
  };
  const outcomes = new Map<string, Promise<Outcome>>();
  let barrier: Promise<unknown> = Promise.resolve();

  const run = async (line: ImportLine): Promise<Outcome> => {
    const command = importCommand(line.command);
    const counts = report.perCommand[line.command] as ImportReport['perCommand'][string];
    const refs: Record<string, Outputs> = {};
    const answers: Record<string, unknown> = {};
    for (const { field, key } of referencesOf(command, line.data)) {
      const target = key as string;
      const outcome = await outcomes.get(target);
      if (!outcome?.ok) {
        counts.skipped++;
        report.skipped.push({ line: line.line, key: line.key, command: line.command, reason: `needs ${target}` });
        return { ok: false };
      }
      refs[field] = outcome.outputs;
      answers[field] = outcome.answer;
    }
    const refuse = (error: unknown): Outcome => {
      counts.refused++;
      report.refused.push({ line: line.line, key: line.key, command: line.command, reason: (error as Error).message });
      return { ok: false };
    };
    if (command.derive) {
      try {
        const outputs = command.derive(line.data, answers);
        counts.recorded++;
        report.recorded++;
        return { ok: true, outputs, answer: outputs };
      } catch (error) {
        return refuse(error);
      }
    }
    let request;
    try {
      if (!command.request) throw new Error(`${line.command} sends nothing`);
      request = command.request(line.data, refs, line.at);
    } catch (error) {
      return refuse(error);
    }
    const deadline = Date.now() + (target.patienceMs ?? 120_000);
    for (let wait = 200; ; wait = Math.min(wait * 2, 5000)) {
      const response = await fetch(`${target.baseUrl}${request.path}`, {
        method: request.method,
        headers: {
          authorization: `Bearer ${target.token}`,
          'content-type': 'application/json',
          'idempotency-key': `import:${line.key}`,
          'x-occurred-at': line.at,
        },
        body: JSON.stringify(request.body),
      });
      const body = await response.text();
      if (response.ok) {
        counts.recorded++;
        report.recorded++;
        const answer = parsed(body);
        return { ok: true, outputs: stringFields(answer), answer };
      }
      if (isTransient(response.status, body, request.path) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      counts.refused++;
      report.refused.push({
        line: line.line,
        key: line.key,
        command: line.command,
        status: response.status,
        reason: problemOf(body).detail ?? `answered ${response.status}`,
        problem: problemOf(body),
      });
      return { ok: false };
    }
  };

  // Facts about one offering (or one place, one application) are recorded in file order, which is time order;
  // facts about different ones run side by side. A line's lanes are what it references, and what those reference.
  const lanes = new Map<string, string[]>();
  const latest = new Map<string, Promise<unknown>>();
  const queue = [...lines];
  const worker = async () => {
    for (let line = queue.shift(); line; line = queue.shift()) {
      const current = line;
      const command = importCommand(current.command);
      const own = [
        ...new Set(
          referencesOf(command, current.data).flatMap(({ key }) => {
            const target = key as string;
            return [target, ...(lanes.get(target) ?? [])];
          }),
        ),
      ];
      lanes.set(current.key, own);
      const waits = command.barrier ? [...outcomes.values()] : [barrier, ...own.map((lane) => latest.get(lane))];
      const outcome = Promise.all(waits).then(() => run(current));
      if (command.barrier) barrier = outcome;
      for (const lane of [current.key, ...own]) latest.set(lane, outcome);
      outcomes.set(current.key, outcome);
      await outcome;
    }
  };
  await Promise.all(Array.from({ length: target.concurrency ?? 8 }, worker));
  report.droppedAsOfBuilds = await dropStaleAsOfBuilds(target, lines[0]?.at);
  report.refused.sort((a, b) => a.line - b.line);
  report.skipped.sort((a, b) => a.line - b.line);
  report.seconds = (Date.now() - started) / 1000;
  return report;
};

const parsed = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

const stringFields = (answer: unknown): Outputs =>
  typeof answer === 'object' && answer !== null
    ? (Object.fromEntries(Object.entries(answer).filter(([, value]) => typeof value === 'string')) as Outputs)
    : {};

const problemOf = (body: string): NonNullable<RefusedLine['problem']> => {
  try {
    const { type, title, detail, errors } = JSON.parse(body) as Record<string, unknown>;
    return {
      ...(typeof type === 'string' ? { type } : {}),
      ...(typeof title === 'string' ? { title } : {}),
      ...(typeof detail === 'string' ? { detail } : {}),
      ...(errors === undefined ? {} : { errors }),
    };
  } catch {
    return {};
  }
};

/** The report in a few lines for a terminal: counts per command and the first refusals. */
export const describeReport = (report: ImportReport, shown = 10): string => {
  const rows = Object.entries(report.perCommand)
    .filter(([, c]) => c.recorded + c.refused + c.skipped > 0)
    .map(
      ([name, c]) =>
        `  ${name.padEnd(26)} ${String(c.recorded).padStart(6)} recorded ${c.refused} refused ${c.skipped} skipped`,
    );
  const refusals = report.refused
    .slice(0, shown)
    .map((r) => `  line ${r.line}${r.key ? ` (${r.key})` : ''}: ${r.status ? `${r.status} ` : ''}${r.reason}`);
  return [
    `${report.lines} lines: ${report.recorded} recorded, ${report.refused.length} refused, ` +
      `${report.skipped.length} skipped, in ${report.seconds.toFixed(1)} s`,
    ...rows,
    ...(report.droppedAsOfBuilds.length
      ? [`  as-of builds dropped, to be built again with the past in them: ${report.droppedAsOfBuilds.join(', ')}`]
      : []),
    ...(refusals.length ? ['refused:', ...refusals] : []),
    ...(report.refused.length > shown ? [`  … ${report.refused.length - shown} more in the report file`] : []),
  ].join('\n');
};
