import { describe, expect, it } from "vitest";
import { storeNames } from "./store-names";

describe("storeNames", () => {
  const env = { id: "cm1abc", name: "qa-42" };

  it("names each kind after the environment, with a tag from its id", () => {
    const mysql = storeNames("mysql", env);
    expect(mysql.name).toMatch(/^corral_qa_42_[0-9a-f]{6}$/);
    expect(mysql.username).toMatch(/^c_qa_42_[0-9a-f]{6}$/);
    expect(storeNames("redis", env, "apps:").name).toMatch(/^apps:corral:qa-42:[0-9a-f]{6}:$/);
    expect(storeNames("s3", env, "envs/")).toEqual({ name: expect.stringMatching(/^envs\/corral\/qa-42-[0-9a-f]{6}\/$/) as unknown, username: null });
  });

  it("differs for a reused name, and stays within MySQL's limits", () => {
    expect(storeNames("mysql", env).name).not.toBe(storeNames("mysql", { ...env, id: "cm2def" }).name);
    const long = storeNames("mysql", { id: "x", name: "a".repeat(63) });
    expect(long.name.length).toBeLessThanOrEqual(64);
    expect(long.username!.length).toBeLessThanOrEqual(32);
  });
});
