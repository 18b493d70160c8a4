/**
 * The emulator's state on disk: one JSON snapshot in its data folder, written atomically (temporary file,
 * then rename, so a crash mid-write never leaves half a file) and debounced (a burst of requests costs
 * one write). Apart from the app's database on purpose: resetting one never touches the other.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { rename, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { emptySnapshot, snapshotSchema, type Snapshot } from "./model";

export const STATE_FILE_NAME = "state.json";

export type LoadResult = { snapshot: Snapshot; problem: string | null };

export class SnapshotFile {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private dirty = false;

  /** `dataDir` null keeps everything in memory (tests that do not test persistence). */
  constructor(
    private readonly dataDir: string | null,
    private readonly produce: () => Snapshot,
    private readonly debounceMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get file(): string | null {
    return this.dataDir === null ? null : path.join(this.dataDir, STATE_FILE_NAME);
  }

  /** Reads the snapshot; a damaged file is set aside (renamed) rather than silently overwritten. */
  load(): LoadResult {
    const file = this.file;
    if (file === null || !existsSync(file)) return { snapshot: emptySnapshot(), problem: null };
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch {
      parsed = undefined;
    }
    const result = snapshotSchema.safeParse(parsed);
    if (result.success) return { snapshot: result.data, problem: null };
    const aside = `${file}.damaged-${Date.now()}`;
    renameSync(file, aside);
    return { snapshot: emptySnapshot(), problem: `${file} could not be read; it was moved to ${aside} and the emulator starts empty` };
  }

  /** Marks the state changed; it is written after the debounce delay. */
  schedule(): void {
    if (this.dataDir === null) return;
    this.dirty = true;
    if (this.timer !== null || this.writing !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.writeNow().catch(this.onError);
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes any pending change now and waits until nothing is left to write (used by close and reset). */
  async flush(): Promise<void> {
    for (;;) {
      // A write finishing can schedule the next one; the loop takes that over instead of leaving a timer.
      if (this.timer !== null) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      if (this.writing !== null) {
        await this.writing.catch(() => undefined);
        continue;
      }
      if (!this.dirty) return;
      await this.writeNow();
    }
  }

  private async writeNow(): Promise<void> {
    const dir = this.dataDir;
    const file = this.file;
    if (dir === null || file === null || !this.dirty) return;
    this.dirty = false;
    const text = JSON.stringify(this.produce());
    // A unique temporary name, so two emulators pointed at one folder never interleave writes to one file.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    this.writing = (async () => {
      await mkdir(dir, { recursive: true });
      await writeFile(temporary, text, { mode: 0o600 });
      await rename(temporary, file);
    })();
    try {
      await this.writing;
    } finally {
      this.writing = null;
    }
    // Changes made while writing are written next.
    if (this.dirty) this.schedule();
  }
}

/** Creates the data folder up front, so a bad DUO_EMULATOR_DATA fails at start, not at the first write. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true });
}
