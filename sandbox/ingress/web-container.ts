import { parseImage } from "../kube/image-behaviour";

/** What the simulated web container knows about itself and the request it answers. */
export interface PageFacts {
  pod: string;
  namespace: string;
  container: string;
  image: string;
  /** The image's tag, or its digest when pinned by one. */
  version: string;
  host: string;
  method: string;
  path: string;
}

export function pageFacts(f: Omit<PageFacts, "version">): PageFacts {
  return { ...f, version: parseImage(f.image).tag };
}

/** The page every simulated container serves: who answered, from which image, for what path. */
export function renderPage(f: PageFacts, wantsJson: boolean): { body: string; contentType: string } {
  if (wantsJson) return { body: JSON.stringify(f) + "\n", contentType: "application/json" };
  const { repository } = parseImage(f.image);
  const row = (k: string, v: string) => `<tr><th>${k}</th><td>${escapeHtml(v)}</td></tr>`;
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(repository)} ${escapeHtml(f.version)}</title></head>
<body>
<h1>${escapeHtml(repository)} <small>${escapeHtml(f.version)}</small></h1>
<table>
${row("pod", f.pod)}
${row("namespace", f.namespace)}
${row("container", f.container)}
${row("image", f.image)}
${row("version", f.version)}
${row("host", f.host)}
${row("path", f.path)}
</table>
<p>Served by the Corral sandbox's simulated container.</p>
</body>
</html>
`;
  return { body, contentType: "text/html; charset=utf-8" };
}

export interface AccessFacts {
  remoteAddress: string;
  time: number;
  method: string;
  /** The request target as sent, query included. */
  target: string;
  httpVersion: string;
  status: number;
  bytes: number;
  referer: string | undefined;
  userAgent: string | undefined;
}

/**
 * One line in nginx's "combined" format. Everything taken from the request is escaped as nginx
 * does (`"`, `\`, control and non-ASCII bytes as \xHH), so a request cannot write escape
 * sequences or fake lines into the log a reader is shown.
 */
export function accessLogLine(a: AccessFacts): string {
  const field = (v: string | undefined) => (v ? escapeLog(v) : "-");
  return `${a.remoteAddress} - - [${clfDate(a.time)}] "${escapeLog(a.method)} ${escapeLog(a.target)} HTTP/${a.httpVersion}" ${a.status} ${a.bytes} "${field(a.referer)}" "${field(a.userAgent)}"`;
}

const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `10/Oct/2000:13:55:36 +0000`, in UTC. */
export function clfDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()] ?? "Jan"}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

function escapeLog(s: string): string {
  if (/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return s;
  // Header values reach Node as latin1, one char a byte; a URL may hold other code points.
  const bytes = /[^\u0000-\u00ff]/.test(s) ? Buffer.from(s, "utf8") : Buffer.from(s, "latin1");
  let out = "";
  for (const byte of bytes) {
    out += byte < 0x20 || byte > 0x7e || byte === 0x22 || byte === 0x5c ? `\\x${byte.toString(16).toUpperCase().padStart(2, "0")}` : String.fromCharCode(byte);
  }
  return out;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
