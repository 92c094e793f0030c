import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { toAppError } from "./map-error";

describe("toAppError", () => {
  it("keeps an AppError as it is", () => {
    const error = new AppError("conflict", "taken");
    expect(toAppError(error)).toBe(error);
  });

  it("maps Prisma's unique violation to 409 and missing record to 404", () => {
    expect(toAppError({ code: "P2002", message: "Unique constraint failed" }).status).toBe(409);
    expect(toAppError({ code: "P2025", message: "not found" }).status).toBe(404);
  });

  it("turns a refused database connection, however wrapped, into 503 in plain words", () => {
    const wrapped = new Error("query failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }) });
    const mapped = toAppError(wrapped);
    expect(mapped.status).toBe(503);
    expect(mapped.message).toMatch(/database is not reachable/);
  });

  it("hides anything unknown behind a generic 500", () => {
    const mapped = toAppError(new Error("secret internals: password=hunter2"));
    expect(mapped.status).toBe(500);
    expect(mapped.message).not.toMatch(/hunter2/);
  });
});
