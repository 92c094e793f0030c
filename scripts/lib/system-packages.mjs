// Debian packages the test suite drives: Chromium for Playwright; kubectl, the AWS CLI, dig and
// skopeo to prove the sandbox speaks the real protocols. Installed with apt-get where we may (root on
// Debian, as on CI); elsewhere we say what to install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const NEEDS = [
  { binary: "/usr/bin/chromium", pkg: "chromium", why: "Playwright's browser" },
  // Debian's kubernetes-client conflicts with a kubectl installed otherwise; any kubectl will do.
  { binary: "kubectl", pkg: "kubernetes-client", why: "sandbox tests with the real kubectl" },
  // Debian's v2, not a pip-installed v1 that may come first on PATH.
  { binary: "/usr/bin/aws", pkg: "awscli", why: "sandbox tests with the real AWS CLI" },
  { binary: "dig", pkg: "dnsutils", why: "sandbox DNS tests" },
  { binary: "skopeo", pkg: "skopeo", why: "sandbox registry tests with a real registry client" },
];

function present(binary) {
  if (binary.startsWith("/")) return existsSync(binary);
  return spawnSync("sh", ["-c", 'command -v "$1"', "sh", binary], { stdio: "ignore" }).status === 0;
}

export function ensureSystemPackages({ required = ["chromium"] } = {}) {
  const missing = NEEDS.filter((n) => !present(n.binary));
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
  if (canInstall) {
    const pkgs = missing.map((m) => m.pkg);
    console.log(`• Installing ${pkgs.join(", ")} with apt-get…`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...pkgs], { stdio: "inherit", env });
  }
  const still = NEEDS.filter((n) => !present(n.binary));
  for (const m of still) console.warn(`! ${m.binary} is missing (${m.why}): install Debian's ${m.pkg}.`);
  const fatal = still.filter((m) => required.includes(m.pkg));
  if (fatal.length > 0) process.exit(1);
}
