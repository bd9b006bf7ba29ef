import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/** CPU seconds (user + system) a process has used so far, from /proc: `ps` rounds to whole seconds. 0 once gone. */
export const processCpu = (pid: number | undefined): number => {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command's closing parenthesis: state is the 3rd field, utime the 14th and stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return 0;
  }
};

/**
 * CPU seconds so far of each PostgreSQL server process, by pid. Per process, so that server processes which end
 * during a run (idle connections closed) do not count against it; see `serverCpuSince`.
 */
export const serverCpu = (): Map<number, number> => {
  const used = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        used.set(Number(entry), processCpu(Number(entry)));
    } catch {
      // ended while listed
    }
  }
  return used;
};

export const serverCpuSince = (before: Map<number, number>, after = serverCpu()): number =>
  [...after].reduce((total, [pid, seconds]) => total + seconds - (before.get(pid) ?? 0), 0);
