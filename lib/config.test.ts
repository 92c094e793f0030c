import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("parseConfig", () => {
  it("applies defaults to a minimal environment", () => {
    const cfg = parseConfig({ DATABASE_URL: "postgresql://localhost/corral" });
    expect(cfg.LOG_LEVEL).toBe("info");
    expect(cfg.CORRAL_LOCAL_USER_EMAIL).toBe("dev@corral.local");
  });

  it("names every missing or malformed variable", () => {
    let error: unknown;
    try {
      parseConfig({ LOG_LEVEL: "loud", CORRAL_LOCAL_USER_EMAIL: "nobody" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/^DATABASE_URL is required/m);
    expect(problems).toMatch(/^LOG_LEVEL must be one of fatal, error/m);
    expect(problems).toMatch(/^CORRAL_LOCAL_USER_EMAIL must be an e-mail address/m);
  });

  it("refuses a DATABASE_URL that is not Postgres", () => {
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgresql:\/\/ URL/);
  });
});
