import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The auditor's copy of the anchors: append-only JSON lines, one signed checkpoint per line. The sealer only ever
 * appends (and syncs before it counts a line as published); a line written twice after a crash is the same line.
 */
export class AnchorFile {
  constructor(readonly file: string) {}

  async append(lines: readonly string[]): Promise<void> {
    if (lines.length === 0) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a+', 0o644);
    try {
      // A line cut short by a crash is closed first, so the next anchor starts on a line of its own.
      const { size } = await handle.stat();
      const end = Buffer.alloc(1);
      if (size > 0) await handle.read(end, 0, 1, size - 1);
      const opening = size > 0 && end.toString() !== '\n' ? '\n' : '';
      await handle.appendFile(opening + lines.map((line) => `${line}\n`).join(''));
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  /** Every non-empty line with its number (from 1); undefined when there is no file. */
  async lines(): Promise<{ number: number; text: string }[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return text
      .split('\n')
      .map((line, index) => ({ number: index + 1, text: line.trim() }))
      .filter((line) => line.text !== '');
  }

  /** The last complete line (a crash mid-write leaves an incomplete one, which is not an anchor); read from the end. */
  async lastLine(): Promise<string | undefined> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      let chunk = 64 * 1024;
      for (;;) {
        const start = Math.max(0, size - chunk);
        const buffer = Buffer.alloc(size - start);
        await handle.read(buffer, 0, buffer.length, start);
        const text = buffer.toString('utf8');
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        const lines = complete.split('\n').filter((line) => line.trim() !== '');
        // A line is whole when the text before it ends with a line break or the read began at the start of the file.
        if (lines.length > 1 || (lines.length === 1 && start === 0)) return lines.at(-1)?.trim();
        if (start === 0) return undefined;
        chunk *= 4;
      }
    } finally {
      await handle.close();
    }
  }
}
