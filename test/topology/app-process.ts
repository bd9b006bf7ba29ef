/** One app of the topology as its own Node process, its output kept for the failure message. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '#libs/testing';

export interface AppProcess {
  name: string;
  baseUrl: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` with exactly `env` (nothing of the test's own environment leaks in, as in a container), in
 * `cwd` (its writable folder, as /app in the image: DATA_DIR's relative default lands there).
 */
export const startAppProcess = (options: {
  name: string;
  script: string;
  env: Record<string, string>;
  cwd: string;
  port: number;
}): AppProcess => {
  const child = spawn(process.execPath, [path.join(repoRoot, options.script)], {
    cwd: options.cwd,
    env: { ...options.env, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    name: options.name,
    baseUrl: `http://127.0.0.1:${options.port}`,
    child,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!stopped) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
};

/** Waits until the app answers its healthcheck's path with 200; fails early, with its output, if it exits. */
export const waitUntilHealthy = async (app: AppProcess, healthPath: string, timeoutMs = 90_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void app.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`${app.name} exited with ${exitCode} before it was healthy:\n${app.output()}`);
    }
    const ok = await fetch(`${app.baseUrl}${healthPath}`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${app.name} not healthy within ${timeoutMs} ms:\n${app.output()}`);
    await sleep(250);
  }
};
