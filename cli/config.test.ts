import { mkdtempSync, statSync, writeFileSync, chmodSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configIsExposed, configPath, readConfig, resolveCredentials, writeConfig } from "./config.js";

const home = () => mkdtempSync(path.join(tmpdir(), "corral-cli-"));

describe("the stored token", () => {
  it("lives in $XDG_CONFIG_HOME/corral, else ~/.config/corral, in a file only its owner reads", () => {
    const h = home();
    expect(configPath({ HOME: h })).toBe(path.join(h, ".config", "corral", "config.json"));
    expect(configPath({ HOME: h, XDG_CONFIG_HOME: "/x/y" })).toBe("/x/y/corral/config.json");
    // A relative XDG_CONFIG_HOME is invalid by the spec: ignored.
    expect(configPath({ HOME: h, XDG_CONFIG_HOME: "rel" })).toBe(path.join(h, ".config", "corral", "config.json"));
    const file = writeConfig({ url: "http://corral.test", token: "crl_secret" }, { HOME: h });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(readConfig({ HOME: h })).toEqual({ url: "http://corral.test", token: "crl_secret" });
    expect(configIsExposed({ HOME: h })).toBe(false);
  });

  it("narrows a file that was readable by others when it writes it again, and says so before", () => {
    const h = home();
    mkdirSync(path.join(h, ".config", "corral"), { recursive: true });
    const file = configPath({ HOME: h });
    writeFileSync(file, "{}");
    chmodSync(file, 0o644);
    expect(configIsExposed({ HOME: h })).toBe(true);
    writeConfig({ url: "http://corral.test", token: "crl_x" }, { HOME: h });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("prefers the flag, then CORRAL_URL/CORRAL_TOKEN, then the file, and never sends the file's token to another server", () => {
    const h = home();
    writeConfig({ url: "http://corral.test/", token: "crl_file" }, { HOME: h });
    expect(resolveCredentials({}, { HOME: h })).toEqual({ url: "http://corral.test", token: "crl_file" });
    expect(resolveCredentials({}, { HOME: h, CORRAL_TOKEN: "crl_env" })).toEqual({ url: "http://corral.test", token: "crl_env" });
    expect(resolveCredentials({ url: "http://elsewhere.test" }, { HOME: h })).toEqual({ url: "http://elsewhere.test", token: null });
    expect(resolveCredentials({}, { HOME: h, CORRAL_URL: "http://corral.test" })).toEqual({ url: "http://corral.test", token: "crl_file" });
    expect(() => resolveCredentials({}, { HOME: home() })).toThrow(/corral login/);
    expect(() => resolveCredentials({ url: "ftp://x" }, { HOME: h })).toThrow(/not an http\(s\) URL/);
  });
});
