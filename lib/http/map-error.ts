import "server-only";
import { AppError } from "@/lib/errors";
import { KubeError } from "@/lib/kube/errors";

// Errors of the database layer that mean "try again later", not "Corral is broken".
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "57P01", "57P03", "53300"]);

/** Maps anything thrown below a route handler to an AppError; unknown errors become `internal`. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof KubeError) return kubeAppError(error);
  if (isPrismaKnownError(error)) {
    if (error.code === "P2002") return new AppError("conflict", "It already exists.");
    if (error.code === "P2025") return new AppError("not_found", "It was not found.");
    if (error.code === "P1001" || error.code === "P1002" || error.code === "P1017") return databaseDown();
  }
  if (hasDriverCode(error, UNAVAILABLE_CODES)) return databaseDown();
  return new AppError("internal", "Something went wrong on our side. It has been logged.");
}

// A Kubernetes failure below a read (logs, events) is the cluster's trouble, said in its words.
function kubeAppError(error: KubeError): AppError {
  if (error.status === 404) return new AppError("not_found", "Kubernetes has no such object.");
  const message = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  return new AppError("unavailable", `${message}. Nothing was changed.`);
}

function databaseDown() {
  return new AppError("unavailable", "The database is not reachable right now. Nothing was changed; try again shortly.");
}

function isPrismaKnownError(error: unknown): error is { code: string; name: string } {
  return (
    typeof error === "object" &&
    error !== null &&
    "code" in error &&
    typeof error.code === "string" &&
    /^P\d{4}$/.test(error.code)
  );
}

// The pg driver's errors surface with `code` at the top or under `cause`.
function hasDriverCode(error: unknown, codes: Set<string>, depth = 0): boolean {
  if (typeof error !== "object" || error === null || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && codes.has(code)) return true;
  const message = (error as { message?: unknown }).message;
  if (typeof message === "string" && /ECONNREFUSED|Connection terminated|connect ETIMEDOUT/.test(message)) return true;
  return hasDriverCode((error as { cause?: unknown }).cause, codes, depth + 1);
}
