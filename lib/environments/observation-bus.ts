// The reconciler (a job) tells the status tracker (a watch) in the same worker process that an
// environment's applied state moved, since applying objects that were already right produces
// no watch event to wake it.
type Listener = (environmentId: string) => void;
const listeners = new Set<Listener>();

export function onObservationRequested(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function requestObservation(environmentId: string): void {
  for (const l of listeners) l(environmentId);
}
