import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { StoreSnapshot } from "./kube/store";
import type { RegistrySnapshot } from "./registry/store";
import type { ZonesSnapshot } from "./route53/zones";

export interface SandboxState {
  version: 1;
  kube: StoreSnapshot;
  route53: ZonesSnapshot;
  /** Absent in state files written before the registry existed. */
  registry?: RegistrySnapshot;
}

export async function loadState(file: string): Promise<SandboxState | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const state = JSON.parse(text) as SandboxState;
  if (state.version !== 1) throw new Error(`${file}: unsupported sandbox state version ${String(state.version)}`);
  return state;
}

/** Writes through a temporary file so that a crash never leaves half a state file. */
export async function saveState(file: string, state: SandboxState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, file);
}

/** Coalesces bursts of changes into one save after a short quiet period. */
export class SaveScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly save: () => Promise<void>,
    private readonly delayMs = 500,
  ) {}

  poke(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.running = this.running.then(this.save, this.save);
    await this.running;
  }
}
