import { execFileSync } from "node:child_process";
import path from "node:path";

// The quick start writes the sandbox's kubeconfig under its data folder (.data/e2e in the suite).
const KUBECONFIG = path.resolve(".data/e2e/sandbox/kubeconfig");

/** Debian's kubectl against the portal's sandbox; JSON output parsed. */
export function kubectlJson(...args: string[]): any {
  const out = execFileSync("kubectl", ["--kubeconfig", KUBECONFIG, ...args, "-o", "json"], { encoding: "utf8" });
  return JSON.parse(out);
}

/** kubectl's exit status and stderr, for asserting that something is gone. */
export function kubectlFails(...args: string[]): string | null {
  try {
    execFileSync("kubectl", ["--kubeconfig", KUBECONFIG, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    return null;
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}
