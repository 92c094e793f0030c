import { describe, expect, it } from "vitest";
import { describeRedisError } from "./redis-problem";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("describeRedisError", () => {
  it("calls what passes by itself unavailable", () => {
    for (const e of [
      withCode("connect ECONNREFUSED 127.0.0.1:1", "ECONNREFUSED"),
      withCode("read ECONNRESET", "ECONNRESET"),
      new Error("LOADING Redis is loading the dataset in memory"),
      new Error("BUSY Redis is busy running a script"),
      new Error("TRYAGAIN Multiple keys request during rehashing of slot"),
      new Error("MASTERDOWN Link with MASTER is down"),
      new Error("Connection is closed."),
      new Error("Command timed out"),
    ]) {
      expect(describeRedisError(e).kind, e.message).toBe("unavailable");
    }
  });
  it("calls bad credentials and missing permissions refused, naming the command", () => {
    expect(describeRedisError(new Error("WRONGPASS invalid username-password pair or user is disabled.")).kind).toBe("refused");
    expect(describeRedisError(new Error("NOAUTH Authentication required.")).kind).toBe("refused");
    const noperm = describeRedisError(new Error("NOPERM User h2_ro has no permissions to run the 'keys' command"), "Redis at x:1 db 0");
    expect(noperm.kind).toBe("refused");
    expect(noperm.message).toMatch(/^Redis at x:1 db 0: .*may not run KEYS/);
  });
  it("calls an unknown db not-found and keeps no arguments of the failed command", () => {
    const error = Object.assign(new Error("ERR DB index is out of range"), { command: { name: "auth", args: ["u", "secret"] } });
    const problem = describeRedisError(error);
    expect(problem.kind).toBe("not-found");
    expect(JSON.stringify(problem.cause, Object.getOwnPropertyNames(problem.cause))).not.toContain("secret");
  });
});
