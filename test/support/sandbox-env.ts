/**
 * For a quick start (`scripts/start.mjs`) run by a test or a bench: its sandbox on free ports
 * and in memory, so a developer's own `npm run sandbox` is not in the way and nothing is kept.
 */
export const SANDBOX_ON_FREE_PORTS = {
  SANDBOX_KUBE_PORT: "0",
  SANDBOX_ROUTE53_PORT: "0",
  SANDBOX_DNS_PORT: "0",
  SANDBOX_S3_PORT: "0",
  SANDBOX_REGISTRY_PORT: "0",
  SANDBOX_INGRESS_PORT: "0",
  SANDBOX_CONTROL_PORT: "0",
  SANDBOX_STATE: "memory",
} as const;
