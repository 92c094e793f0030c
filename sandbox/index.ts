import type { Socket } from "node:dgram";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { type SandboxEndpoints, awsEnvironment, kubeconfigYaml, registryEnvironment, sandboxRegistryCredentials, writeClientConfig } from "./client-config";
import { createControlServer } from "./control-server";
import { startDnsServer } from "./dns/server";
import { type Faults, FaultBoard, type ServiceName } from "./faults";
import { type IngressCounters, createIngressServer } from "./ingress/server";
import { createKubeCluster } from "./kube/cluster";
import { defaultLogSettings, defaultTimings } from "./kube/timings";
import type { SandboxOptions } from "./options";
import { SaveScheduler, loadState, saveState } from "./persistence";
import { SANDBOX_REGISTRY_HOST, seedRegistry } from "./registry/seed";
import { type RegistryCounters, createRegistryServer } from "./registry/server";
import { RegistryStore } from "./registry/store";
import { type RegistryCredentials, TokenIssuer } from "./registry/tokens";
import { createRoute53Server } from "./route53/server";
import { ZoneStore } from "./route53/zones";
import { startS3 } from "./s3/server";

export type { SandboxOptions } from "./options";
export { defaultSandboxZones } from "./options";
export type { IngressCounters } from "./ingress/server";
export { writeClientConfig, sandboxRegistryCredentials } from "./client-config";
export { SANDBOX_REGISTRY_HOST, SEED_TAGS } from "./registry/seed";
export type { Faults, ServiceName } from "./faults";

export interface Sandbox {
  kube: { url: string };
  route53: {
    url: string;
    /** The zones created at start (options.route53.zones), as FQDNs without the trailing dot. */
    zones: string[];
  };
  s3: { url: string };
  registry: {
    url: string;
    /** The host name images carry: `${host}/shop/web:1.2.1`. */
    host: string;
    /** Set when token auth is on. */
    credentials?: RegistryCredentials;
    /** What the registry has been asked so far. */
    counters(): RegistryCounters;
  };
  /**
   * The ingress: requests to `url` with a Host header are routed through the cluster's
   * Ingresses (`http://web.env.sandbox.localhost:PORT/` from a browser).
   */
  ingress: {
    url: string;
    port: number;
    /** Requests per host in ingress-nginx's Prometheus metrics (on the control port). */
    metricsUrl: string;
    /** Requests so far and how they were answered. */
    counters(): IngressCounters;
  };
  dns: { port: number };
  control: { url: string };
  /** Set when options.configDir was given. */
  kubeconfigPath?: string;
  awsEnvPath?: string;
  registryEnvPath?: string;
  /** The kubeconfig as YAML, for KubeConfig.loadFromString. */
  kubeconfig: string;
  /** AWS_* variables (and SANDBOX_DNS_PORT, SANDBOX_CONTROL_URL, SANDBOX_INGRESS_URL, SANDBOX_INGRESS_PORT) pointing at the sandbox. */
  awsEnv: Record<string, string>;
  /** CORRAL_REGISTRIES (and SANDBOX_REGISTRY_*) pointing at the sandbox's registry. */
  registryEnv: Record<string, string>;
  setFaults(service: ServiceName, faults: Partial<Faults>): void;
  clearFaults(): void;
  /** Requests each service was asked, by what the faults made of them (pass, error, drop, throttle). */
  faultCounts(): ReturnType<FaultBoard["counts"]>;
  /** Per service: throttled answers sent with a Retry-After, and how long clients waited before sending the same request again. */
  retryAfterStats(): ReturnType<FaultBoard["retryAfterStats"]>;
  /** Starts faultCounts and retryAfterStats from zero. */
  resetFaultCounts(): void;
  /** Pod log responses currently open (follow streams stay open until either side closes). */
  openLogStreams(): number;
  openWatches(): number;
  /** Ends every open Kubernetes watch, as an API server restart would. */
  closeWatches(): void;
  /** Forgets Kubernetes change history so that older resourceVersions answer 410 Expired. */
  compactKubeHistory(): void;
  /** Writes the state file now (no-op without options.stateFile). */
  save(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the Kubernetes API, Route 53, DNS, S3, container registry and ingress stand-ins on loopback. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? "127.0.0.1";
  const ports = { kube: 0, route53: 0, s3: 0, registry: 0, ingress: 0, dns: 0, control: 0, ...options.ports };
  const timings = { ...defaultTimings, ...options.timings };
  const logs = { ...defaultLogSettings, ...options.logs };
  const faults = new FaultBoard(options.faults);
  const state = options.stateFile ? await loadState(options.stateFile) : undefined;

  let saver: SaveScheduler | undefined;
  const cluster = createKubeCluster({ timings, logs, faults, watchHistory: options.watchHistory ?? 10_000, watchTimeoutSeconds: options.watchTimeoutSeconds ?? 1800, restore: state?.kube });
  const zones = new ZoneStore(() => options.route53?.changeSyncDelayMs ?? 2000, () => saver?.poke());
  if (state) zones.restore(state.route53);
  for (const name of options.route53?.zones ?? []) {
    const fqdn = name.endsWith(".") ? name : `${name}.`;
    if (!zones.list().some((z) => z.name === fqdn)) zones.create(fqdn, `sandbox-${fqdn}`, "created by the Corral sandbox", false);
  }
  const images = new RegistryStore(() => saver?.poke());
  if (state?.registry) images.restore(state.registry);
  if (options.registry?.seed ?? true) seedRegistry(images);
  const stateFile = options.stateFile;
  if (stateFile) {
    saver = new SaveScheduler(() => saveState(stateFile, { version: 1, kube: cluster.store.snapshot(), route53: zones.snapshot(), registry: images.snapshot() }));
    cluster.store.subscribe(() => saver?.poke());
  }
  const registryAuth = options.registry?.auth;
  const registryCredentials = registryAuth === true ? sandboxRegistryCredentials : registryAuth || undefined;

  const s3Dir = options.s3?.directory ?? (stateFile ? path.join(path.dirname(stateFile), "s3") : await mkdtemp(path.join(tmpdir(), "corral-sandbox-s3-")));
  const ownsS3Dir = !options.s3?.directory && !stateFile;
  const servers: Server[] = [];
  let dnsSocket: Socket | undefined;
  try {
    const kubePort = await listen(cluster.server, ports.kube, host);
    servers.push(cluster.server);
    const route53Server = createRoute53Server({
      zones,
      faults,
      rateLimitPerSecond: () => options.route53?.rateLimitPerSecond ?? 0,
      rejectWhilePending: () => options.route53?.rejectWhilePending ?? false,
    });
    const route53Port = await listen(route53Server, ports.route53, host);
    servers.push(route53Server);
    const dns = await startDnsServer(zones, faults, host, ports.dns);
    dnsSocket = dns.socket;
    const s3 = await startS3({ host, port: ports.s3, buckets: options.s3?.buckets ?? [], directory: s3Dir, faults });
    const registryHost = options.registry?.host ?? SANDBOX_REGISTRY_HOST;
    const registry = createRegistryServer({
      store: images,
      faults,
      service: registryHost,
      tokens: registryCredentials ? new TokenIssuer(registryCredentials, () => options.registry?.tokenTtlSeconds ?? 300) : null,
      maxPageSize: () => options.registry?.maxPageSize ?? 100,
    });
    const registryPort = await listen(registry.server, ports.registry, host);
    servers.push(registry.server);
    const ingress = createIngressServer({ store: cluster.store, kubelet: cluster.kubelet, faults });
    const ingressPort = await listen(ingress.server, ports.ingress, host);
    servers.push(ingress.server);

    const endpoints: SandboxEndpoints = {
      kubeUrl: `http://${host}:${kubePort}`,
      route53Url: `http://${host}:${route53Port}`,
      s3Url: `http://${host}:${s3.port}`,
      registryUrl: `http://${host}:${registryPort}`,
      ingressUrl: `http://${host}:${ingressPort}`,
      registryHost,
      registryCredentials,
      dnsPort: dns.port,
      controlUrl: "",
    };
    const save = async () => {
      await saver?.flush();
    };
    const control = createControlServer({
      faults,
      // The registry's credentials stay out of the status: it is served to anyone on loopback.
      status: () => ({
        endpoints: { ...endpoints, registryCredentials: undefined },
        openLogStreams: cluster.podLogs.openStreams,
        openLogStreamsByNamespace: cluster.podLogs.openStreamsByNamespace,
        openWatches: cluster.watches.count,
        registry: { ...registry.counters, auth: Boolean(registryCredentials) },
        ingress: { ...ingress.counters },
        faults: faults.snapshot(),
        faultCounts: faults.counts(),
        retryAfter: faults.retryAfterStats(),
      }),
      resetCounts: () => faults.resetCounts(),
      compactKubeHistory: () => cluster.store.compact(),
      closeWatches: () => cluster.watches.closeAll(),
      ingressMetrics: () => ingress.metrics.render(),
      save,
    });
    const controlPort = await listen(control, ports.control, host);
    servers.push(control);
    endpoints.controlUrl = `http://${host}:${controlPort}`;
    const written = options.configDir ? await writeClientConfig(options.configDir, endpoints) : undefined;

    let stopped = false;
    return {
      kube: { url: endpoints.kubeUrl },
      route53: { url: endpoints.route53Url, zones: (options.route53?.zones ?? []).map((z) => z.replace(/\.$/, "").toLowerCase()) },
      s3: { url: endpoints.s3Url },
      registry: { url: endpoints.registryUrl, host: registryHost, credentials: registryCredentials, counters: () => ({ ...registry.counters }) },
      ingress: { url: endpoints.ingressUrl, port: ingressPort, metricsUrl: `${endpoints.controlUrl}/metrics`, counters: () => ({ ...ingress.counters }) },
      dns: { port: endpoints.dnsPort },
      control: { url: endpoints.controlUrl },
      kubeconfigPath: written?.kubeconfigPath,
      awsEnvPath: written?.awsEnvPath,
      registryEnvPath: written?.registryEnvPath,
      kubeconfig: kubeconfigYaml(endpoints),
      awsEnv: awsEnvironment(endpoints),
      registryEnv: registryEnvironment(endpoints),
      setFaults: (service, f) => void faults.set(service, f),
      clearFaults: () => faults.clear(),
      faultCounts: () => faults.counts(),
      retryAfterStats: () => faults.retryAfterStats(),
      resetFaultCounts: () => faults.resetCounts(),
      openLogStreams: () => cluster.podLogs.openStreams,
      openWatches: () => cluster.watches.count,
      closeWatches: () => cluster.watches.closeAll(),
      compactKubeHistory: () => cluster.store.compact(),
      save,
      async stop() {
        if (stopped) return;
        stopped = true;
        cluster.stop();
        await save();
        await Promise.all(servers.map(close));
        dnsSocket?.close();
        await s3.stop();
        if (ownsS3Dir) await rm(s3Dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    cluster.stop();
    await Promise.all(servers.map(close));
    dnsSocket?.close();
    throw err;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : port);
    });
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
