/**
 * The environment a bench's web server and worker run with (as test/environments/crash.test.ts
 * gives them), set on this process too so that lib/config reads the same.
 */
export const BENCH_RUN_ENV = {
  NODE_ENV: "production",
  CORRAL_WORKER: "off",
  CORRAL_BASE_URL: "http://127.0.0.1:9",
  CORRAL_LOCAL_SIGNIN: "true",
  CORRAL_LOCAL_SIGNIN_FORCE: "true",
  LOG_LEVEL: "warn",
} as const;

/** A bench's size or rate, from its environment variable when set. */
export function benchNumber(name: string, fallback: number): number {
  return Number(process.env[name] ?? fallback);
}
