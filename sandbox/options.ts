import type { Faults, ServiceName } from "./faults";
import type { KubeTimings, LogSettings } from "./kube/timings";
import type { RegistryCredentials } from "./registry/tokens";

export interface SandboxPorts {
  kube: number;
  route53: number;
  s3: number;
  registry: number;
  /** HTTP ingress routing by Host header through the cluster's Ingresses. */
  ingress: number;
  /** UDP. */
  dns: number;
  control: number;
}

export interface SandboxOptions {
  /** Interface to listen on; loopback unless told otherwise. */
  host?: string;
  /** 0 (the default for each) picks a free port. */
  ports?: Partial<SandboxPorts>;
  timings?: Partial<KubeTimings>;
  logs?: Partial<LogSettings>;
  /** Kubernetes changes kept for watches that resume; older resourceVersions answer 410 Expired. */
  watchHistory?: number;
  /** Watches without timeoutSeconds are closed by the server after this long. */
  watchTimeoutSeconds?: number;
  route53?: {
    /** Requests a second before Throttling; 0 (default) means no limit. */
    rateLimitPerSecond?: number;
    /** How long a change stays PENDING before GetChange says INSYNC. */
    changeSyncDelayMs?: number;
    /** Zones created at start when missing (e.g. "sandbox.corral.test"). */
    zones?: string[];
    /**
     * Refuse a ChangeResourceRecordSets to a zone with PriorRequestNotComplete while the zone's
     * previous change is still PENDING, as Route 53 may. Default false.
     */
    rejectWhilePending?: boolean;
  };
  s3?: {
    /** Buckets created at start. */
    buckets?: string[];
    /** Where the S3 stand-in keeps objects; a temporary directory (removed on stop) unless set. */
    directory?: string;
  };
  registry?: {
    /** The host name images carry; also the token service's name. Default registry.sandbox.corral.test. */
    host?: string;
    /** Token auth as Docker Distribution does it: true uses the sandbox's credentials (written to registry.env). */
    auth?: boolean | RegistryCredentials;
    /** The most tags (or repositories) one page holds, and the page size when a client asks for none. Default 100. */
    maxPageSize?: number;
    /** How long issued tokens last. Default 300. */
    tokenTtlSeconds?: number;
    /** Push the quick start's shop/web, shop/api and shop/worker tags at start when missing. Default true. */
    seed?: boolean;
  };
  faults?: Partial<Record<ServiceName, Partial<Faults>>>;
  /** JSON file the cluster, zones and pushed registry tags are saved to (on stop and shortly after changes) and loaded from at start. */
  stateFile?: string;
  /** When set, kubeconfig, aws.env and registry.env are written there. */
  configDir?: string;
}

export const defaultCliPorts: SandboxPorts = { kube: 17443, route53: 17053, s3: 17090, registry: 17005, ingress: 17080, dns: 17053, control: 17099 };

/**
 * `npm run sandbox`'s zones (SANDBOX_ZONES). Browsers resolve every `*.localhost` name to
 * loopback themselves, so hosts under sandbox.localhost open through the ingress without DNS setup.
 */
export const defaultSandboxZones = ["sandbox.corral.test", "sandbox.localhost"];
