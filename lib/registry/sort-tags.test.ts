import { describe, expect, it } from "vitest";
import { compareTagsNewestFirst, sortTagsNewestFirst } from "./sort-tags";

describe("sortTagsNewestFirst", () => {
  it("orders by version, not by text", () => {
    expect(sortTagsNewestFirst(["1.9.0", "1.10.0", "1.2.0", "10.0.0", "2.0.0"])).toEqual(["10.0.0", "2.0.0", "1.10.0", "1.9.0", "1.2.0"]);
  });

  it("puts a release above its pre-releases, and pre-releases in their own order", () => {
    expect(sortTagsNewestFirst(["2.0.0-rc.1", "1.3.0", "2.0.0", "2.0.0-rc.10", "2.0.0-rc.2", "2.0.0-beta.1"])).toEqual([
      "2.0.0",
      "2.0.0-rc.10",
      "2.0.0-rc.2",
      "2.0.0-rc.1",
      "2.0.0-beta.1",
      "1.3.0",
    ]);
  });

  it("reads v-prefixed and partial versions, and puts tags that are no version last, alphabetically", () => {
    expect(sortTagsNewestFirst(["main", "v1.2.3", "1.27", "sha-3f2a1c", "1.3", "develop", "7"])).toEqual(["7", "1.27", "1.3", "v1.2.3", "develop", "main", "sha-3f2a1c"]);
  });

  it("keeps equal versions apart deterministically and drops duplicates", () => {
    expect(sortTagsNewestFirst(["1.27", "1.27.0", "1.27.0", "v1.27.0"])).toEqual(["v1.27.0", "1.27.0", "1.27"]);
    expect(compareTagsNewestFirst("1.2.3", "1.2.3")).toBe(0);
  });
});
