import pino from "pino";
import { LOG_LEVELS } from "./config";

const wanted = process.env.LOG_LEVEL ?? "info";

// One JSON line an event. The level comes straight from the environment so that logging
// works even while the configuration is being reported as invalid.
export const log = pino({
  // An unknown level is reported by the configuration check; until then, log at info.
  level: (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : "info",
  base: { service: "corral" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "secret", "*.secret"],
    censor: "[redacted]",
  },
});
