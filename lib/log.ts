import pino from "pino";

// One JSON line an event. The level comes straight from the environment so that logging
// works even while the configuration is being reported as invalid.
export const log = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "corral" },
  redact: {
    paths: ["password", "*.password", "token", "*.token", "authorization", "*.authorization", "secret", "*.secret"],
    censor: "[redacted]",
  },
});
