import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

const base = { DATABASE_URL: "postgresql://localhost/corral", CORRAL_LOCAL_SIGNIN: "true" };

function problemsOf(env: Record<string, string>) {
  try {
    parseConfig(env);
    return "";
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.join("\n");
  }
}

describe("parseConfig", () => {
  it("names a default cluster's zone, ingress target or URL that is not one", () => {
    const problems = problemsOf({ ...base, CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN: "Not A Domain", CORRAL_DEFAULT_CLUSTER_INGRESS: "10.0.0.1, nope", CORRAL_DEFAULT_CLUSTER_URL: "17080" });
    expect(problems).toMatch(/CORRAL_DEFAULT_CLUSTER_DNS_DOMAIN.*DNS domain/);
    expect(problems).toMatch(/CORRAL_DEFAULT_CLUSTER_INGRESS.*IP addresses/);
    expect(problems).toMatch(/CORRAL_DEFAULT_CLUSTER_URL.*URL/);
    expect(parseConfig({ ...base, CORRAL_DEFAULT_CLUSTER_INGRESS: "127.0.0.1" }).CORRAL_DEFAULT_CLUSTER_INGRESS).toBe("127.0.0.1");
  });

  it("applies defaults to a minimal environment", () => {
    const cfg = parseConfig(base);
    expect(cfg.LOG_LEVEL).toBe("info");
    expect(cfg.SESSION_TTL_HOURS).toBe(12);
    expect(cfg.CORRAL_LOCAL_SIGNIN).toBe(true);
  });

  it("names every missing or malformed variable", () => {
    const problems = problemsOf({ LOG_LEVEL: "loud", OIDC_ISSUER: "not a url", SESSION_TTL_HOURS: "soon" });
    expect(problems).toMatch(/^DATABASE_URL is required/m);
    expect(problems).toMatch(/^LOG_LEVEL must be one of fatal, error/m);
    expect(problems).toMatch(/^OIDC_ISSUER must be the provider's issuer URL/m);
    expect(problems).toMatch(/^SESSION_TTL_HOURS must be a number of hours/m);
  });

  it("refuses a DATABASE_URL that is not Postgres", () => {
    expect(problemsOf({ ...base, DATABASE_URL: "mysql://x" })).toMatch(/DATABASE_URL must be a postgresql:\/\/ URL/);
  });

  it("refuses local sign-in in a production build unless forced", () => {
    expect(problemsOf({ ...base, NODE_ENV: "production" })).toMatch(/^CORRAL_LOCAL_SIGNIN is on in a production build/m);
    const prod = { ...base, NODE_ENV: "production", CORRAL_BASE_URL: "https://corral.example.com" };
    expect(problemsOf({ ...prod, CORRAL_LOCAL_SIGNIN_FORCE: "true" })).toBe("");
    expect(problemsOf({ ...prod, CORRAL_BASE_URL: "", CORRAL_LOCAL_SIGNIN_FORCE: "true" })).toMatch(/^CORRAL_BASE_URL /m);
  });

  it("needs a way to sign in, and a client id with an issuer", () => {
    expect(problemsOf({ DATABASE_URL: base.DATABASE_URL })).toMatch(/^OIDC_ISSUER is required: nobody could sign in/m);
    expect(problemsOf({ DATABASE_URL: base.DATABASE_URL, OIDC_ISSUER: "https://id.example.com" })).toMatch(
      /^OIDC_CLIENT_ID is required when OIDC_ISSUER is set/m,
    );
  });

  it("checks the shape of the role map", () => {
    expect(problemsOf({ ...base, OIDC_ROLE_MAP: "admins=root" })).toMatch(/^OIDC_ROLE_MAP must be group=role pairs/m);
    expect(problemsOf({ ...base, OIDC_ROLE_MAP: "admins=admin, qa-team=qa" })).toBe("");
  });
});

describe("CORRAL_REGISTRIES", () => {
  it("is empty when unset, and keeps the entries keyed by host", () => {
    expect(parseConfig(base).CORRAL_REGISTRIES).toEqual({});
    const cfg = parseConfig({
      ...base,
      CORRAL_REGISTRIES: JSON.stringify({ "Registry.Sandbox.Corral.Test": { url: "http://127.0.0.1:17005/", username: "corral", password: "s3cret" }, "ghcr.io": {} }),
    });
    expect(cfg.CORRAL_REGISTRIES).toEqual({ "registry.sandbox.corral.test": { url: "http://127.0.0.1:17005", username: "corral", password: "s3cret" }, "ghcr.io": {} });
  });

  it("names the variable, the entry and the field, and never the password", () => {
    expect(problemsOf({ ...base, CORRAL_REGISTRIES: "{nope" })).toMatch(/^CORRAL_REGISTRIES must be JSON: an object keyed by registry host/m);
    expect(problemsOf({ ...base, CORRAL_REGISTRIES: "[]" })).toMatch(/^CORRAL_REGISTRIES must be a JSON object keyed by registry host/m);
    const problems = problemsOf({
      ...base,
      CORRAL_REGISTRIES: JSON.stringify({
        "not a host": {},
        "ghcr.io": { url: "ftp://ghcr.io", password: "hunter2-secret" },
        "quay.io": { url: "https://bob:hunter2-secret@quay.io", username: "bob", password: "hunter2-secret", token: "x" },
      }),
    });
    expect(problems).toMatch(/^CORRAL_REGISTRIES entry “not a host”: is not a registry host/m);
    expect(problems).toMatch(/^CORRAL_REGISTRIES entry “ghcr.io”: url must be an http:\/\/ or https:\/\/ URL/m);
    expect(problems).toMatch(/^CORRAL_REGISTRIES entry “ghcr.io”: needs both username and password, or neither/m);
    expect(problems).toMatch(/^CORRAL_REGISTRIES entry “quay.io”: has an unknown field “token”/m);
    expect(problems).toMatch(/^CORRAL_REGISTRIES entry “quay.io”: url must be .* no credentials/m);
    expect(problems).not.toContain("hunter2");
  });
});
