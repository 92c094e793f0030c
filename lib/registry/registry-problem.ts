// Why a registry could not list a repository's tags, in words a person can act on. The kind is
// what the version picker shows: "unreachable" (down, slow, throttling, or answering nonsense),
// "refused" (credentials wrong or missing, access denied) and "not-found" (no such repository).

export type RegistryProblemKind = "unreachable" | "refused" | "not-found";

export class RegistryProblem extends Error {
  constructor(
    readonly kind: RegistryProblemKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RegistryProblem";
  }
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
