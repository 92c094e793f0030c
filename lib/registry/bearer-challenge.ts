// A 401's WWW-Authenticate, as registries send it:
//   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"
// Values are quoted and may hold commas (scope="repository:a:pull,push").

export interface Challenge {
  scheme: "bearer" | "basic" | "other";
  params: Record<string, string>;
}

export function parseChallenge(header: string | null): Challenge | null {
  if (!header) return null;
  const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  const params: Record<string, string> = {};
  for (const p of match[2]!.matchAll(/([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return { scheme: scheme === "bearer" ? "bearer" : scheme === "basic" ? "basic" : "other", params };
}
