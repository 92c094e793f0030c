import "server-only";
import { db } from "@/lib/db/client";
import { dnsSyncJob } from "@/lib/jobs/definitions/dns-sync";
import { enqueue } from "@/lib/jobs/queue";
import { deleteNamespace, readNamespaceLabels } from "@/lib/kube/apply";
import { kubeClients } from "@/lib/kube/client";
import { LABELS } from "@/lib/kube/labels";

// What destroy must undo, in order, like a Kubernetes object's finalizers. Each step is
// idempotent (done twice, or after a crash halfway, it ends the same) and says whether it is
// finished or still waiting on something (a namespace terminating, records being deleted).
// The data stores go last, once nothing in the namespace uses them.

export interface CleanupTarget {
  id: string;
  name: string;
  cluster: { id: string; name: string; kubeContext: string | null; inCluster: boolean; dnsDomain: string | null } | null;
}

export interface CleanupStepDefinition {
  name: string;
  /** What people read on the page while it runs or when it fails. */
  title: string;
  /** `attempts`: how many times this step has run for this destroy, this one included. */
  run(env: CleanupTarget, progress: { attempts: number }): Promise<"done" | "waiting">;
}

/** A step that cannot finish by waiting: the destroy stops at it with this reason, and a Retry. */
export class CleanupStepFailure extends Error {}

// About a minute of a step looking again every 2 s before its wait is called a failure.
const MAX_WAITS = 30;

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

// The names stop pointing at the cluster first. The cluster's DNS sync deletes the records (and
// their ownership records, only Corral's) and then the rows; this step waits for that.
const hostnamesStep: CleanupStepDefinition = {
  name: "hostnames",
  title: "Remove the DNS records",
  async run(env, { attempts }) {
    const left = await db.hostname.findMany({ where: { environmentId: env.id }, select: { fqdn: true, reason: true } });
    if (left.length === 0) return "done";
    if (!env.cluster?.dnsDomain) {
      await db.hostname.deleteMany({ where: { environmentId: env.id } }); // no zone: no records were made
      return "done";
    }
    if (attempts > MAX_WAITS) {
      const why = left.find((h) => h.reason)?.reason ?? "the DNS pass has not removed them yet";
      throw new CleanupStepFailure(`${left.length} record${left.length === 1 ? "" : "s"} (${left.map((h) => h.fqdn).join(", ")}) could not be removed: ${why}`);
    }
    await db.hostname.updateMany({ where: { environmentId: env.id, status: { not: "deleting" } }, data: { status: "deleting" } });
    await enqueue(dnsSyncJob, { clusterId: env.cluster.id }, { cause: `destroy of ${env.name}` });
    return "waiting";
  },
};

// Each database, Redis prefix and S3 prefix made for the environment, with its own users. A
// host that does not answer is waited for (about a minute), then the step fails with the reason.
const dataStoresStep: CleanupStepDefinition = {
  name: "data-stores",
  title: "Drop the data stores",
  async run(env, { attempts }) {
    const { dropEnvironmentStores } = await import("@/lib/data/drop-environment-stores");
    let waiting: string[];
    try {
      ({ waiting } = await dropEnvironmentStores(env.id));
    } catch (error) {
      throw new CleanupStepFailure((error as Error).message);
    }
    if (waiting.length === 0) return "done";
    if (attempts > MAX_WAITS) throw new CleanupStepFailure(`could not drop ${waiting.join(", ")}`);
    return "waiting";
  },
};

export const CLEANUP_STEPS: readonly CleanupStepDefinition[] = [hostnamesStep, namespaceStep, dataStoresStep];
