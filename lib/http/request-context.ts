import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

// The request a piece of work belongs to, without threading it through every call: route
// handlers run inside it, and jobs enqueued from there carry its id into their log lines.

const storage = new AsyncLocalStorage<{ requestId: string }>();

export function runInRequest<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}
