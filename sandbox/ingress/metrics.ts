import type { IngressBackend } from "./routing";

/**
 * Requests per namespace, Ingress, host, Service and status, in the shape of ingress-nginx's
 * `nginx_ingress_controller_requests` counter, so that what reads a real controller's metrics
 * (Corral's activity tracking) reads the sandbox's the same way.
 */
export class RequestMetrics {
  private readonly counts = new Map<string, number>();

  count(backend: IngressBackend, host: string, status: number): void {
    const [, ingress = ""] = backend.ingress.split("/");
    const key = JSON.stringify([backend.namespace, ingress, host, backend.service?.name ?? "", String(status)]);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** The Prometheus text exposition format. */
  render(): string {
    const lines = [
      "# HELP nginx_ingress_controller_requests The total number of client requests",
      "# TYPE nginx_ingress_controller_requests counter",
    ];
    for (const [key, value] of this.counts) {
      const [namespace, ingress, host, service, status] = JSON.parse(key) as string[];
      const labels = Object.entries({ host, ingress, namespace, service, status })
        .map(([k, v]) => `${k}="${escapeLabel(v ?? "")}"`)
        .join(",");
      lines.push(`nginx_ingress_controller_requests{${labels}} ${value}`);
    }
    return `${lines.join("\n")}\n`;
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
