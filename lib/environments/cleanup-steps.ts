import "server-only";
import { deleteNamespace, readNamespaceLabels } from "@/lib/kube/apply";
import { kubeClients } from "@/lib/kube/client";
import { LABELS } from "@/lib/kube/labels";

// What destroy must undo, in order, like a Kubernetes object's finalizers. Each step is
// idempotent (done twice, or after a crash halfway, it ends the same) and says whether it is
// finished or still waiting on something (a namespace terminating). Later features add
// theirs here: hostnames, data stores.

export interface CleanupTarget {
  id: string;
  name: string;
  cluster: { id: string; name: string; kubeContext: string | null; inCluster: boolean } | null;
}

export interface CleanupStepDefinition {
  name: string;
  /** What people read on the page while it runs or when it fails. */
  title: string;
  run(env: CleanupTarget): Promise<"done" | "waiting">;
}

const namespaceStep: CleanupStepDefinition = {
  name: "namespace",
  title: "Delete the namespace",
  async run(env) {
    if (!env.cluster) return "done"; // never placed: nothing to remove
    const kube = kubeClients(env.cluster);
    const labels = await readNamespaceLabels(kube, env.name);
    // Never delete a namespace that is not this environment's, whatever its name.
    if (labels === null || labels[LABELS.environment] !== env.id) return "done";
    // Terminating: the namespace watch runs the destroy again when it goes.
    return (await deleteNamespace(kube, env.name)) ? "done" : "waiting";
  },
};

export const CLEANUP_STEPS: readonly CleanupStepDefinition[] = [namespaceStep];
