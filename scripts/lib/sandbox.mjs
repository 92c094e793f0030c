// The quick start's cloud: the local sandbox (sandbox/) stands in for Kubernetes, Route 53,
// S3 and a container registry when no real cluster or AWS account is configured.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { root } from "./bootstrap.mjs";

export function cloudConfigured(env) {
  return Boolean(env.KUBECONFIG || env.AWS_PROFILE || env.AWS_ACCESS_KEY_ID || env.AWS_ENDPOINT_URL);
}

/** Starts `sandbox/cli.ts` in the background; resolves with the variables that point at it. */
export function startSandbox(dataDir, env) {
  const dir = path.join(dataDir, "sandbox");
  const child = spawn("tsx", [path.join(root, "sandbox", "cli.ts")], {
    cwd: root,
    env: { ...env, SANDBOX_DIR: dir },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start within 60 s:\n${output}`)), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited with ${code}:\n${output}`));
    });
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (!output.includes("Ctrl-C to stop.")) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const registry = parseEnvFile(path.join(dir, "registry.env"));
      const vars = {
        KUBECONFIG: path.join(dir, "kubeconfig"),
        ...parseEnvFile(path.join(dir, "aws.env")),
        ...registry,
        CORRAL_REGISTRIES: mergeRegistries(env.CORRAL_REGISTRIES, registry.CORRAL_REGISTRIES),
      };
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null) return done();
          child.once("exit", () => done());
          child.kill("SIGTERM");
        });
      // The endpoint lines: after the headline, down to the control port's.
      const lines = output.split("\n");
      const control = lines.findIndex((line) => line.trim().startsWith("control"));
      resolve({ vars, stop, summary: lines.slice(1, control > 0 ? control + 1 : 8).join("\n") });
    });
  });
}

// Registries the person configured stay as they are; the sandbox's is added beside them. A value
// that is not a JSON object is left for the configuration check to name.
function mergeRegistries(own, sandbox) {
  if (!own) return sandbox;
  try {
    const parsed = JSON.parse(own);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return own;
    return JSON.stringify({ ...JSON.parse(sandbox), ...parsed });
  } catch {
    return own;
  }
}

function parseEnvFile(file) {
  const vars = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const value = match[2];
    if (/^'.*'$/.test(value)) vars[match[1]] = value.slice(1, -1).replace(/'\\''/g, "'");
    else vars[match[1]] = value.replace(/^"(.*)"$/, "$1");
  }
  return vars;
}
