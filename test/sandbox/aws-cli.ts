import { existsSync } from "node:fs";
import { which } from "./helpers";

/** Debian's AWS CLI v2 lives in /usr/bin; prefer it over another `aws` earlier on PATH. */
export function awsCli(): string | undefined {
  return existsSync("/usr/bin/aws") ? "/usr/bin/aws" : which("aws");
}
