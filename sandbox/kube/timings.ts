/** How fast the simulated cluster moves; tests shrink these, the CLI uses lifelike defaults. */
export interface KubeTimings {
  /** Pending (unscheduled) → ContainerCreating. */
  podScheduleDelayMs: number;
  /** ContainerCreating → Running (image pulled, container started). */
  podStartDelayMs: number;
  /** Running → Ready. */
  podReadyDelayMs: number;
  /** Running → Ready for images that are slow to become ready. */
  slowReadyDelayMs: number;
  /** How long a crash-looping container runs before it exits. */
  crashAfterMs: number;
  /** First back-off after a crash or failed pull; doubles each time up to backoffMaxMs. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Graceful termination of a deleted pod. */
  podTerminationDelayMs: number;
  /** A deleted namespace stays Terminating this long before it and its contents go. */
  namespaceTerminationDelayMs: number;
  bookmarkIntervalMs: number;
  /** Interval at which controllers re-check state that changes with time (progress deadlines). */
  resyncIntervalMs: number;
}

export const defaultTimings: KubeTimings = {
  podScheduleDelayMs: 100,
  podStartDelayMs: 800,
  podReadyDelayMs: 1500,
  slowReadyDelayMs: 20_000,
  crashAfterMs: 2_000,
  backoffBaseMs: 2_000,
  backoffMaxMs: 30_000,
  podTerminationDelayMs: 1_000,
  namespaceTerminationDelayMs: 3_000,
  bookmarkIntervalMs: 10_000,
  resyncIntervalMs: 1_000,
};

export interface LogSettings {
  /** Lines a running container writes each second (after its start-up banner). */
  linesPerSecond: number;
  /** Lines kept per container instance; older ones are gone, as with the kubelet's log rotation. */
  bufferLines: number;
}

export const defaultLogSettings: LogSettings = { linesPerSecond: 2, bufferLines: 10_000 };
