import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

export interface SandboxEndpoints {
  kubeUrl: string;
  route53Url: string;
  s3Url: string;
  dnsPort: number;
  controlUrl: string;
}

export const sandboxCredentials = { accessKeyId: "sandbox", secretAccessKey: "sandbox-secret", region: "us-east-1", token: "sandbox-token" };

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
  };
}

export interface WrittenConfig {
  kubeconfigPath: string;
  awsEnvPath: string;
}

/** Writes `kubeconfig` and `aws.env` (KEY=value lines) into a directory. */
export async function writeClientConfig(dir: string, e: SandboxEndpoints): Promise<WrittenConfig> {
  await mkdir(dir, { recursive: true });
  const kubeconfigPath = path.join(dir, "kubeconfig");
  const awsEnvPath = path.join(dir, "aws.env");
  await writeFile(kubeconfigPath, kubeconfigYaml(e), { mode: 0o600 });
  const env = awsEnvironment(e);
  await writeFile(awsEnvPath, Object.entries(env).map(([k, v]) => `${k}=${v}`).join("\n") + "\n", { mode: 0o600 });
  return { kubeconfigPath, awsEnvPath };
}
