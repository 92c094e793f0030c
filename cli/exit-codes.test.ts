import { describe, expect, it } from "vitest";
import { CliError, EXIT, exitCodeFor, exitCodeForStatus } from "./exit-codes.js";

describe("exit codes", () => {
  it("are distinct, one per kind of outcome", () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
    expect(EXIT.ok).toBe(0);
  });

  it.each([
    [400, EXIT.badInput],
    [413, EXIT.badInput],
    [401, EXIT.notAllowed],
    [403, EXIT.notAllowed],
    [404, EXIT.notFound],
    [409, EXIT.conflict],
    [429, EXIT.unavailable],
    [500, EXIT.unavailable],
    [503, EXIT.unavailable],
    [418, EXIT.unexpected],
  ])("maps HTTP %i to %i", (status, code) => {
    expect(exitCodeForStatus(status)).toBe(code);
  });

  it("takes a CliError's own code, and calls anything else unexpected", () => {
    expect(exitCodeFor(new CliError(EXIT.timedOut, "late"))).toBe(EXIT.timedOut);
    expect(exitCodeFor(new TypeError("bug"))).toBe(EXIT.unexpected);
  });
});
