import { describe, expect, it } from "vitest";
import { parseComponent, parseDuration, parseRowFilter, wholeNumber } from "./args.js";
import { CliError, EXIT } from "./exit-codes.js";
import { buildProgram, main } from "./main.js";

const badInput = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT.badInput);
    return (error as CliError).message;
  }
  throw new Error("expected a bad-input error");
};

describe("argument handling", () => {
  it("reads NAME=IMAGE with optional replicas and port", () => {
    expect(parseComponent("web=registry.example.com:5000/shop/web:1.2.0")).toEqual({ name: "web", image: "registry.example.com:5000/shop/web:1.2.0" });
    expect(parseComponent("api=acme/api@sha256:abc,replicas=2,port=8080")).toEqual({ name: "api", image: "acme/api@sha256:abc", replicas: 2, port: 8080 });
    expect(badInput(() => parseComponent("web"))).toMatch(/NAME=IMAGE/);
    expect(badInput(() => parseComponent("web=nginx:1,colour=red"))).toMatch(/“colour” is not a setting/);
    expect(badInput(() => parseComponent("web=nginx:1,replicas=two"))).toMatch(/replicas is a whole number/);
  });

  it("reads durations in seconds, minutes and hours", () => {
    expect(parseDuration("1")).toBe(1);
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("15m")).toBe(900);
    expect(parseDuration("1.5h")).toBe(5400);
    expect(badInput(() => parseDuration("0"))).toMatch(/--timeout is a duration/);
    expect(badInput(() => parseDuration("soon"))).toMatch(/--timeout/);
  });

  it("reads row filters and whole numbers", () => {
    expect(parseRowFilter("orders=total > 10 AND note = 'a=b'")).toEqual(["orders", "total > 10 AND note = 'a=b'"]);
    expect(badInput(() => parseRowFilter("=x"))).toMatch(/TABLE=EXPRESSION/);
    expect(wholeNumber("3", "--ttl", 1)).toBe(3);
    expect(badInput(() => wholeNumber("0", "--ttl", 1))).toMatch(/from 1/);
  });

  it("parses a command line into the command's arguments and options, globals included", async () => {
    const program = buildProgram({});
    const seen: unknown[] = [];
    const create = program.commands.find((c) => c.name() === "env")!.commands.find((c) => c.name() === "create")!;
    create.action((name: string, _opts: unknown, command: typeof create) => void seen.push(name, command.optsWithGlobals()));
    await program.parseAsync(["env", "create", "pr-42", "-t", "shop", "-c", "web=a/b:1", "-c", "api=a/c:2", "--wait", "--timeout", "5m", "-o", "json", "--url", "http://corral.test"], { from: "user" });
    expect(seen[0]).toBe("pr-42");
    expect(seen[1]).toMatchObject({ template: "shop", component: ["web=a/b:1", "api=a/c:2"], wait: true, timeout: "5m", output: "json", url: "http://corral.test", retries: 5 });
  });

  it("ends a wrong command line with the bad-input code, and help with 0", async () => {
    const stderr = process.stderr.write;
    const stdout = process.stdout.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await main(["env", "create"], {})).toBe(EXIT.badInput);
      expect(await main(["env", "frobnicate"], {})).toBe(EXIT.badInput);
      expect(await main(["env", "list", "--output", "yaml"], {})).toBe(EXIT.badInput);
      expect(await main(["--help"], {})).toBe(EXIT.ok);
      // No server anywhere: bad input, said before any request.
      expect(await main(["env", "list"], { HOME: "/nonexistent" })).toBe(EXIT.badInput);
    } finally {
      process.stderr.write = stderr;
      process.stdout.write = stdout;
    }
  });
});
