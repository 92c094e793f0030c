import "server-only";
import { db } from "@/lib/db/client";
import type { EnvironmentStatus } from "@/lib/db/generated/enums";
import { wakeEnvironment } from "@/lib/environments/sleep-environment";
import { STATUS_LABELS } from "@/lib/environments/status-labels";

export interface WakerAnswer {
  /** Marks an answer as the waker's: the page reloads once an answer is not (the app is back). */
  corralWaker: true;
  environment: string | null;
  host: string | null;
  status: EnvironmentStatus;
  /** In words, for the page. */
  message: string;
  ready: boolean;
  gone: boolean;
}

/**
 * What a visit to a sleeping environment's name does: wakes it (Corral acting, the visit
 * counted as activity) and says how far along it is. Anyone who can reach the name may wake
 * it, as with Okteto and Loft: waking only restores what its owner made.
 */
export async function answerWaker(environmentId: string, forwardedHost: string | null): Promise<WakerAnswer | null> {
  const env = await db.environment.findUnique({
    where: { id: environmentId },
    select: { id: true, name: true, status: true, power: true, lifecycle: true, hostnames: { select: { fqdn: true } } },
  });
  if (!env) return null;
  if (env.lifecycle !== "active") {
    return { corralWaker: true, environment: env.name, host: null, status: env.status, message: "This environment no longer exists.", ready: false, gone: true };
  }
  // Only a name of this environment is repeated back: the header is the client's to set.
  const host = forwardedHost && env.hostnames.some((h) => h.fqdn === forwardedHost.toLowerCase()) ? forwardedHost.toLowerCase() : null;
  let status = env.status;
  if (env.power === "asleep") {
    await wakeEnvironment({ system: `a visit to ${host ?? env.name}` }, env.id, `HTTP request${host ? ` to ${host}` : ""}`);
    status = (await db.environment.findUniqueOrThrow({ where: { id: env.id }, select: { status: true } })).status;
  }
  const ready = status === "ready" || status === "degraded";
  const message =
    status === "failed"
      ? "It could not be woken: see its page in Corral for the reason."
      : ready
        ? "It is awake."
        : `It was asleep and is waking up (${STATUS_LABELS[status].toLowerCase()}). This page reloads by itself when it is ready.`;
  return { corralWaker: true, environment: env.name, host, status, message, ready, gone: false };
}

/** The "waking up" page: polls its own address (which the ingress sends here until the app is back), then reloads. */
export function wakerPage(a: WakerAnswer): string {
  const title = a.gone ? "Environment gone" : `${a.environment} is waking up`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${a.gone ? "" : '<meta http-equiv="refresh" content="15">'}
<title>${escapeHtml(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;color:#1f2933;background:#f5f7fa;display:grid;place-items:center;min-height:100vh;margin:0}
main{background:#fff;border:1px solid #d9e2ec;border-radius:8px;padding:2rem 2.5rem;max-width:34rem;text-align:center}
h1{font-size:1.3rem;margin:0 0 .5rem} p{margin:.5rem 0;color:#52606d}
.spin{width:2rem;height:2rem;border:3px solid #d9e2ec;border-top-color:#2680c2;border-radius:50%;margin:0 auto 1rem;animation:s 1s linear infinite}
@keyframes s{to{transform:rotate(1turn)}} @media (prefers-reduced-motion:reduce){.spin{animation:none}}
</style></head>
<body><main>
${a.gone ? "" : '<div class="spin" aria-hidden="true"></div>'}
<h1>${escapeHtml(title)}</h1>
<p role="status" id="corral-waker-status">${escapeHtml(a.message)}</p>
${a.host ? `<p><code>${escapeHtml(a.host)}</code></p>` : ""}
<p><small>Corral put this environment to sleep while nobody used it.</small></p>
</main>
${a.gone ? "" : WAKER_SCRIPT}
</body></html>
`;
}

// Asks again every second; an answer that is not the waker's is the application, awake again.
const WAKER_SCRIPT = `<script>
(function(){
  var status = document.getElementById("corral-waker-status");
  function poll(){
    fetch(location.href, { headers: { accept: "application/json" }, cache: "no-store" })
      .then(function(r){ return r.json().catch(function(){ return null; }); })
      .then(function(a){
        if (!a || a.corralWaker !== true || a.ready) { location.reload(); return; }
        if (a.gone) { status.textContent = a.message; return; }
        status.textContent = a.message;
        setTimeout(poll, 1000);
      })
      .catch(function(){ setTimeout(poll, 2000); });
  }
  setTimeout(poll, 1000);
})();
</script>`;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
