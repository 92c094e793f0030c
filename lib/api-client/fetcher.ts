// The browser's one way to call Corral's API: it throws the API's own message, status and
// field details, so components show what the server said.

import type { FieldErrors } from "@/lib/errors";

/** The API's `details` of a 400: messages by field path. The same type the server throws with. */
export type { FieldErrors };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldErrors,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An error as a form shows it: field messages by path, and the overall message under `_`. */
export function formErrors(error: unknown): FieldErrors {
  if (error instanceof ApiError) return { ...error.details, _: [error.message] };
  return { _: ["Something went wrong. Try again."] };
}

export async function apiFetch<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: "application/json", ...(init?.body ? { "content-type": "application/json" } : {}), ...init?.headers },
    });
  } catch {
    throw new ApiError(0, "network", "Corral could not be reached. Check your connection and try again.", {});
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: FieldErrors } } | null)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "unknown",
      error?.message ?? `Corral answered ${response.status}.`,
      error?.details ?? {},
    );
  }
  return body as T;
}
