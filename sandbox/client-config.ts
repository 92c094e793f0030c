import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { RegistryCredentials } from "./registry/tokens";

export interface SandboxEndpoints {
  kubeUrl: string;
  route53Url: string;
  s3Url: string;
  registryUrl: string;
  /** The ingress: http://127.0.0.1:PORT, routing by Host header. */
  ingressUrl: string;
  /** The host name images in the registry carry. */
  registryHost: string;
  /** Set when the registry's token auth is on. */
  registryCredentials?: RegistryCredentials;
  dnsPort: number;
  controlUrl: string;
}

export const sandboxCredentials = { accessKeyId: "sandbox", secretAccessKey: "sandbox-secret", region: "us-east-1", token: "sandbox-token" };
export const sandboxRegistryCredentials: RegistryCredentials = { username: "corral", password: "sandbox-registry-secret" };

/**
 * A kubeconfig for the sandbox: plain HTTP, with a token user because some tools insist on a user.
 * @kubernetes/client-node 2.x refuses http:// unless insecure-skip-tls-verify is set.
 */
export function kubeconfigYaml(e: SandboxEndpoints): string {
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "corral-sandbox", cluster: { server: e.kubeUrl, "insecure-skip-tls-verify": true } }],
    users: [{ name: "corral-sandbox", user: { token: sandboxCredentials.token } }],
    contexts: [{ name: "corral-sandbox", context: { cluster: "corral-sandbox", user: "corral-sandbox", namespace: "default" } }],
    "current-context": "corral-sandbox",
    preferences: {},
  });
}

/** Environment for AWS SDKs and the AWS CLI pointing at the sandbox. */
export function awsEnvironment(e: SandboxEndpoints): Record<string, string> {
  return {
    AWS_REGION: sandboxCredentials.region,
    AWS_DEFAULT_REGION: sandboxCredentials.region,
    AWS_ACCESS_KEY_ID: sandboxCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: sandboxCredentials.secretAccessKey,
    AWS_ENDPOINT_URL_ROUTE_53: e.route53Url,
    AWS_ENDPOINT_URL_S3: e.s3Url,
    // The sandbox decodes aws-chunked bodies, but skipping checksums keeps older tools simple.
    AWS_REQUEST_CHECKSUM_CALCULATION: "when_required",
    AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    AWS_EC2_METADATA_DISABLED: "true",
    SANDBOX_DNS_SERVER: "127.0.0.1",
    SANDBOX_DNS_PORT: String(e.dnsPort),
    SANDBOX_CONTROL_URL: e.controlUrl,
    // Not AWS, but the file the quick start reads for the sandbox's endpoints: where environments' hosts answer.
    SANDBOX_INGRESS_URL: e.ingressUrl,
    SANDBOX_INGRESS_PORT: new URL(e.ingressUrl).port,
  };
}

/**
 * How Corral reaches the sandbox's registry: CORRAL_REGISTRIES maps the host name images carry
 * to the loopback URL, with the credentials when token auth is on.
 */
export function registryEnvironment(e: SandboxEndpoints): Record<string, string> {
  const entry = { url: e.registryUrl, ...(e.registryCredentials ?? {}) };
  return {
    CORRAL_REGISTRIES: JSON.stringify({ [e.registryHost]: entry }),
    SANDBOX_REGISTRY_URL: e.registryUrl,
    SANDBOX_REGISTRY_HOST: e.registryHost,
  };
}

export interface WrittenConfig {
  kubeconfigPath: string;
  awsEnvPath: string;
  registryEnvPath: string;
}

/** Writes `kubeconfig`, `aws.env` and `registry.env` (KEY=value lines a shell can source) into a directory. */
export async function writeClientConfig(dir: string, e: SandboxEndpoints): Promise<WrittenConfig> {
  await mkdir(dir, { recursive: true });
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const awsEnvPath = path.join(dir, "aws.env");
  const registryEnvPath = path.join(dir, "registry.env");
  await writeFile(kubeconfigPath, kubeconfigYaml(e), { mode: 0o600 });
  await writeFile(awsEnvPath, envFile(awsEnvironment(e)), { mode: 0o600 });
  await writeFile(registryEnvPath, envFile(registryEnvironment(e)), { mode: 0o600 });
  return { kubeconfigPath, awsEnvPath, registryEnvPath };
}

// Single quotes keep JSON's double quotes and braces intact when a shell sources the file.
function envFile(env: Record<string, string>): string {
  return Object.entries(env).map(([k, v]) => `${k}=${/^[\w.:/@-]*$/.test(v) ? v : `'${v.replace(/'/g, "'\\''")}'`}`).join("\n") + "\n";
}
