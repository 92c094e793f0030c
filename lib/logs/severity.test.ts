import { describe, expect, it } from "vitest";
import { severityOf } from "./severity";

describe("severityOf", () => {
  it.each([
    // logfmt and JSON keys, any case, quoted or not
    ['time=2026-11-22T10:00:00Z level=error msg="upstream timeout"', "error"],
    ["level=WARN msg=slow", "warn"],
    ['lvl=info caller=main.go:12 msg="listening"', "info"],
    ['severity="warning" message="disk 91% full"', "warn"],
    ['{"time":"2026-11-22T10:00:00Z","level":"warn","msg":"retrying"}', "warn"],
    ['{"level": "ERROR", "msg": "boom"}', "error"],
    ['{"severity":"INFO","message":"ok"}', "info"],
    ['{"levelname": "CRITICAL", "message": "down"}', "error"],
    ['{"log.level":"notice","message":"config reloaded"}', "info"],
    // bunyan / pino numbers
    ['{"name":"api","level":50,"msg":"failed"}', "error"],
    ['{"level":60,"msg":"fatal"}', "error"],
    ['{"level":40,"msg":"slow"}', "warn"],
    ['{"level":30,"msg":"request done"}', "info"],
    ['{"level":20,"msg":"debugging"}', null],
    // klog (Kubernetes components)
    ["E1122 10:20:00.123456       1 controller.go:114] error syncing", "error"],
    ["W1122 10:20:00.123456       1 reflector.go:424] watch ended", "warn"],
    ["I1122 10:20:00.123456       1 server.go:42] serving", "info"],
    // bracketed words, any case
    ["2026/11/22 10:00:00 [error] 29#29: *1 connect() failed", "error"],
    ["[WARN] deprecated flag --foo", "warn"],
    ["10:00:00.000 [main] INFO  c.e.App - started", "info"],
    // bare upper-case words
    ["ERROR upstream timeout calling inventory-service", "error"],
    ["2026-11-22 10:00:00,123 - app - WARNING - low memory", "warn"],
    ["INFO  GET /api/items/3 200 4ms", "info"],
    ["2026-11-22T10:00:00.000Z  WARN 1 --- [main] o.s.Foo : slow", "warn"],
    ["FATAL unhandled error: connect ECONNREFUSED", "error"],
  ])("%s → %s", (line, expected) => {
    expect(severityOf(line)).toBe(expected);
  });

  it("trusts a key over words in the message", () => {
    expect(severityOf('level=info msg="ERROR budget at 80%"')).toBe("info");
  });

  it("takes the first level word, and not words in lower case or inside names", () => {
    expect(severityOf("INFO retry after ERROR from upstream")).toBe("info");
    expect(severityOf("no error here, all fine")).toBeNull();
    expect(severityOf("net::ERR_CONNECTION_REFUSED while loading")).toBeNull();
    expect(severityOf("GET /api/errors 200")).toBeNull();
    expect(severityOf("INFORMATIONAL banner")).toBeNull();
  });

  it("has none for lines that do not say, or say debug", () => {
    expect(severityOf('10.0.0.1 - - [22/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 612')).toBeNull();
    expect(severityOf("level=debug msg=tick")).toBeNull();
    expect(severityOf("")).toBeNull();
  });
});
