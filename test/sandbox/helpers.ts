import { spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { type Sandbox, type SandboxOptions, startSandbox } from "@/sandbox/index";

/** Timings that keep the simulated cluster fast enough for tests. */
export const fastTimings = {
  podScheduleDelayMs: 10,
  podStartDelayMs: 30,
  podReadyDelayMs: 60,
  slowReadyDelayMs: 1500,
  crashAfterMs: 150,
  backoffBaseMs: 150,
  backoffMaxMs: 600,
  podTerminationDelayMs: 50,
  namespaceTerminationDelayMs: 200,
  bookmarkIntervalMs: 200,
  resyncIntervalMs: 100,
};

export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ ...options, timings: { ...fastTimings, ...options.timings }, route53: { changeSyncDelayMs: 100, ...options.route53 } });
}

/** Polls until `check` returns a value other than undefined/false, or fails after the deadline. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The absolute path of a program on PATH, or undefined. */
export function which(program: string): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(program: string, args: string[], env: Record<string, string> = {}, input?: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** Runs a long-lived program until its output satisfies `done`, then kills it and returns the output. */
export function runUntil(program: string, args: string[], env: Record<string, string>, done: (stdout: string) => boolean, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${program} ${args.join(" ")} did not produce the expected output in time:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (done(stdout)) {
        clearTimeout(timer);
        child.kill();
        resolve(stdout);
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (!done(stdout)) reject(new Error(`${program} ${args.join(" ")} exited (${String(code)}) before the expected output:\n${stdout}\n${stderr}`));
    });
  });
}

export function skipReason(program: string, apt: string): string | undefined {
  return which(program) ? undefined : `${program} not installed (apt-get install -y ${apt})`;
}
