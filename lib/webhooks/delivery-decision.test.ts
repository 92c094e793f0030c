import { describe, expect, it } from "vitest";
import { type AttemptOutcome, decideAttempt, isRetryable } from "./delivery-decision";

const answer = (status: number, statusText = "", excerpt = ""): AttemptOutcome => ({ kind: "response", status, statusText, excerpt });
const first = { number: 1, of: 12 };

describe("what follows an attempt", () => {
  it("a 2xx is delivered", () => {
    expect(decideAttempt(answer(200, "OK"), first)).toEqual({ status: "succeeded", summary: "Delivered: the receiver answered 200 OK." });
    expect(decideAttempt(answer(204), first).status).toBe("succeeded");
  });

  it("429 and 5xx are tried again, and say which attempt failed", () => {
    for (const status of [429, 500, 502, 503, 504, 599]) expect(decideAttempt(answer(status), first).status).toBe("retrying");
    expect(decideAttempt(answer(503, "Service Unavailable", "down for maintenance"), { number: 2, of: 12 }).summary).toBe(
      "The receiver answered 503 Service Unavailable: “down for maintenance”. Trying again (attempt 2 of 12 failed).",
    );
  });

  it("no answer (a network error, a timeout) is tried again", () => {
    expect(decideAttempt({ kind: "error", problem: "network", message: "Could not connect to 10.1.2.3:443 (connection refused)" }, first)).toEqual({
      status: "retrying",
      summary: "Could not connect to 10.1.2.3:443 (connection refused). Trying again (attempt 1 of 12 failed).",
    });
    expect(decideAttempt({ kind: "error", problem: "timeout", message: "No answer within 10 s." }, first).status).toBe("retrying");
  });

  it("other 4xx fail at once with the reason", () => {
    for (const status of [400, 401, 403, 404, 408, 410, 413, 422]) expect(decideAttempt(answer(status), first).status).toBe("failed");
    expect(decideAttempt(answer(400, "Bad Request", "unknown event"), first).summary).toBe(
      "The receiver answered 400 Bad Request: “unknown event”. Not retried: the receiver refused this request (a 4xx other than 429), so sending it again would be refused again.",
    );
  });

  it("a redirect is not followed, and says where it pointed", () => {
    const decision = decideAttempt({ kind: "response", status: 301, statusText: "Moved Permanently", excerpt: "", location: "https://new.example.com/hook" }, first);
    expect(decision.status).toBe("failed");
    expect(decision.summary).toContain("a redirect to https://new.example.com/hook");
  });

  it("a refused address is not retried", () => {
    const outcome: AttemptOutcome = { kind: "error", problem: "refused-address", message: "hooks.example.com resolves to 10.0.0.5, a private address" };
    expect(isRetryable(outcome)).toBe(false);
    expect(decideAttempt(outcome, first).status).toBe("failed");
  });

  it("the last attempt fails with what it met", () => {
    expect(decideAttempt(answer(503, "Service Unavailable"), { number: 12, of: 12 })).toEqual({
      status: "failed",
      summary: "The receiver answered 503 Service Unavailable. Gave up after 12 attempts.",
    });
  });
});
