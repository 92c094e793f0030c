import "server-only";
import pino from "pino";
import { LOG_LEVELS } from "./config";

const wanted = process.env.LOG_LEVEL ?? "info";

const options: pino.LoggerOptions = {
  // An unknown level is reported by the configuration check; until then, log at info.
  level: (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : "info",
  base: { service: "corral" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "secret", "*.secret", "cookie", "*.cookie"],
    censor: "[redacted]",
  },
};

// One JSON line an event, to stdout; LOG_FILE sends them to a file instead (the e2e suite
// greps it for secrets).
export const log = process.env.LOG_FILE
  ? pino(options, pino.destination({ dest: process.env.LOG_FILE, append: true, sync: true }))
  : pino(options);
