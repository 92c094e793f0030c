import { describe, expect, it } from "vitest";
import { describeFailure, isRefusedBatch, isTransient, problemFrom, refusalMessages } from "./dns-problem";

const sdkError = (name: string, status: number, message = "") => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
const socketError = (code: string) => Object.assign(new Error("socket hang up"), { name: "TimeoutError", code });

describe("Route 53 failures", () => {
  it("tries again on throttling, a change in progress, 5xx and dropped connections, not on refusals", () => {
    for (const e of [sdkError("Throttling", 400), sdkError("ThrottlingException", 400), sdkError("PriorRequestNotComplete", 400), sdkError("ServiceUnavailable", 503), sdkError("InternalFailure", 500), sdkError("Whatever", 502), socketError("ECONNRESET")]) {
      expect(isTransient(e), e.name).toBe(true);
    }
    for (const e of [sdkError("InvalidChangeBatch", 400), sdkError("NoSuchHostedZone", 404), sdkError("AccessDenied", 403), Object.assign(new Error("refused"), { code: "ECONNREFUSED" }), Object.assign(new Error("aborted"), { name: "AbortError" })]) {
      expect(isTransient(e), e.name).toBe(false);
    }
    expect(isRefusedBatch(sdkError("InvalidChangeBatch", 400))).toBe(true);
    expect(isRefusedBatch(sdkError("Throttling", 400))).toBe(false);
  });

  it("says what went wrong in plain words", () => {
    expect(describeFailure(sdkError("Throttling", 400, "Rate exceeded"), 8)).toBe("Route 53 is limiting Corral's requests: Throttling (8 tries)");
    expect(describeFailure(sdkError("ServiceUnavailable", 503), 3)).toBe("Route 53 is unavailable: it answered 503 ServiceUnavailable (3 tries)");
    expect(describeFailure(socketError("ECONNRESET"), 2)).toBe("the connection to Route 53 dropped (ECONNRESET) (2 tries)");
    expect(problemFrom(sdkError("NoSuchHostedZone", 404, "No hosted zone found with ID: Z1"), 1)).toMatchObject({ kind: "not-found", message: "Route 53 answered NoSuchHostedZone: No hosted zone found with ID: Z1" });
    expect(problemFrom(sdkError("AccessDenied", 403, "no"), 1).kind).toBe("refused");
  });

  it("reads a refused batch's messages wherever the SDK put them", () => {
    expect(refusalMessages(Object.assign(sdkError("InvalidChangeBatch", 400, "[a, b]"), { messages: ["a", "b"] }))).toEqual(["a", "b"]);
    expect(refusalMessages(Object.assign(sdkError("InvalidChangeBatch", 400, "a; b"), { messages: [], Messages: { Message: ["a", "b"] } }))).toEqual(["a", "b"]);
    expect(refusalMessages(sdkError("InvalidChangeBatch", 400, "[Tried to create resource record set [name='x.', type='A'] but it already exists]"))).toEqual([
      "Tried to create resource record set [name='x.', type='A'] but it already exists",
    ]);
  });
});
