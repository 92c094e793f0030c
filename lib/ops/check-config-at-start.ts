import { config, ConfigError } from "@/lib/config";

/** Stops the process with every configuration problem named, or returns. */
export function checkConfigAtStart(): void {
  try {
    config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
