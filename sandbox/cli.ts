import path from "node:path";
import { startSandbox } from "./index";
import { defaultCliPorts, defaultSandboxZones } from "./options";

// `npm run sandbox`: the sandbox in the foreground with fixed ports, lifelike timings and
// client configuration in .data/sandbox. Ports and paths can be changed through the environment.
const env = process.env;
const port = (name: string, fallback: number) => Number(env[`SANDBOX_${name}_PORT`] ?? fallback);
const dataDir = path.resolve(env["SANDBOX_DIR"] ?? ".data/sandbox");

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    host: env["SANDBOX_HOST"] ?? "127.0.0.1",
    ports: {
      kube: port("KUBE", defaultCliPorts.kube),
      route53: port("ROUTE53", defaultCliPorts.route53),
      s3: port("S3", defaultCliPorts.s3),
      registry: port("REGISTRY", defaultCliPorts.registry),
      ingress: port("INGRESS", defaultCliPorts.ingress),
      dns: port("DNS", defaultCliPorts.dns),
      control: port("CONTROL", defaultCliPorts.control),
    },
    configDir: dataDir,
    stateFile: env["SANDBOX_STATE"] === "memory" ? undefined : path.join(dataDir, "state.json"),
    route53: {
      zones: (env["SANDBOX_ZONES"] ?? defaultSandboxZones.join(",")).split(",").filter(Boolean),
      rateLimitPerSecond: Number(env["SANDBOX_ROUTE53_RATE_LIMIT"] ?? 0),
      rejectWhilePending: env["SANDBOX_ROUTE53_REJECT_WHILE_PENDING"] === "on",
    },
    s3: { buckets: (env["SANDBOX_BUCKETS"] ?? "corral-data,corral-backups").split(",").filter(Boolean) },
    // Token auth is on unless turned off: Corral then goes through the flow a private registry asks for.
    registry: { auth: env["SANDBOX_REGISTRY_AUTH"] !== "off", maxPageSize: Number(env["SANDBOX_REGISTRY_PAGE_SIZE"] ?? 100) },
    logs: { linesPerSecond: Number(env["SANDBOX_LOG_RATE"] ?? 2) },
  });

  const localhostZone = sandbox.route53.zones.find((z) => z === "localhost" || z.endsWith(".localhost"));
  console.log(`Corral sandbox running
    Kubernetes API  ${sandbox.kube.url}
    Route 53 API    ${sandbox.route53.url}
    DNS (udp)       127.0.0.1:${sandbox.dns.port}
    S3              ${sandbox.s3.url}
    registry        ${sandbox.registry.url} (images ${sandbox.registry.host}/shop/web…; token auth ${sandbox.registry.credentials ? "on" : "off"})
    ingress         ${sandbox.ingress.url} (by Host header${localhostZone ? `; open http://<name>.${localhostZone}:${sandbox.ingress.port}/ in a browser` : ""})
    control         ${sandbox.control.url}/_sandbox/status
    kubeconfig      ${sandbox.kubeconfigPath ?? ""}
    AWS env         ${sandbox.awsEnvPath ?? ""}
    registry env    ${sandbox.registryEnvPath ?? ""}

    export KUBECONFIG=${sandbox.kubeconfigPath ?? ""}; set -a; . ${sandbox.awsEnvPath ?? ""}; . ${sandbox.registryEnvPath ?? ""}; set +a
  Ctrl-C to stop.`);

  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void sandbox.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
