import type { Faults, ServiceName } from "./faults";
import type { KubeTimings, LogSettings } from "./kube/timings";

export interface SandboxPorts {
  kube: number;
  route53: number;
  s3: number;
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
  };
  s3?: {
    /** Buckets created at start. */
    buckets?: string[];
    /** Where s3rver keeps objects; a temporary directory (removed on stop) unless set. */
    directory?: string;
  };
  faults?: Partial<Record<ServiceName, Partial<Faults>>>;
  /** JSON file the cluster and zones are saved to (on stop and shortly after changes) and loaded from at start. */
  stateFile?: string;
  /** When set, kubeconfig and aws.env are written there. */
  configDir?: string;
}

export const defaultCliPorts: SandboxPorts = { kube: 17443, route53: 17053, s3: 17090, dns: 17053, control: 17099 };
