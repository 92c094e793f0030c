import type { Server } from "node:http";
import type { FaultBoard } from "../faults";
import { KubeApi } from "./api";
import { DeploymentController } from "./deployment-controller";
import { Kubelet } from "./kubelet";
import { bootstrapCluster, installNamespaceController, installServiceDefaults } from "./namespace-controller";
import { PodLogs } from "./pod-logs";
import { findTypeByKind } from "./resource-types";
import { createKubeServer } from "./server";
import { ObjectStore, type StoreSnapshot } from "./store";
import { type KubeTimings, type LogSettings } from "./timings";
import { WatchHub } from "./watch";

export interface KubeClusterOptions {
  timings: KubeTimings;
  logs: LogSettings;
  faults: FaultBoard;
  /** Changes kept for watches that resume; older resourceVersions get 410 Expired. */
  watchHistory: number;
  watchTimeoutSeconds: number;
  restore?: StoreSnapshot;
}

export interface KubeCluster {
  server: Server;
  api: KubeApi;
  store: ObjectStore;
  podLogs: PodLogs;
  kubelet: Kubelet;
  watches: WatchHub;
  stop(): void;
}

/** Wires the store, API semantics, controllers, simulated kubelet and HTTP server together. */
export function createKubeCluster(opts: KubeClusterOptions): KubeCluster {
  const store = new ObjectStore(opts.watchHistory);
  if (opts.restore) store.restore(opts.restore, (o) => findTypeByKind(o.apiVersion, o.kind));
  const api = new KubeApi(store);
  installNamespaceController(api, () => opts.timings.namespaceTerminationDelayMs);
  installServiceDefaults(api);
  const kubelet = new Kubelet(api, opts.timings, opts.logs);
  const deployments = new DeploymentController(api, opts.timings.resyncIntervalMs);
  bootstrapCluster(api);
  kubelet.adoptExisting();
  const podLogs = new PodLogs(kubelet);
  const watches = new WatchHub(store, { bookmarkIntervalMs: opts.timings.bookmarkIntervalMs });
  const server = createKubeServer({ api, watches, faults: opts.faults, podLogs: podLogs.handle, defaultWatchTimeoutSeconds: opts.watchTimeoutSeconds });
  return {
    server,
    api,
    store,
    podLogs,
    kubelet,
    watches,
    stop() {
      deployments.stop();
      kubelet.shutdown();
      watches.closeAll();
    },
  };
}
