import { describe, expect, it } from "vitest";
import { compileRedisGlob } from "./redis-glob";

// Cases worked through Redis's stringmatchlen (util.c) by hand, edge cases included.
const cases: [pattern: string, key: string, matches: boolean][] = [
  ["session:*", "session:abc", true],
  ["session:*", "session:", true],
  ["session:*", "sessions:abc", false],
  ["*", "anything", true],
  ["*", "", false], // Redis never enters its loop for an empty key
  ["", "", true],
  ["user:?", "user:1", true],
  ["user:?", "user:12", false],
  ["user:?", "user:é", false], // é is two bytes: ? is one
  ["user:??", "user:é", true],
  ["h[ae]llo", "hello", true],
  ["h[ae]llo", "hallo", true],
  ["h[ae]llo", "hillo", false],
  ["h[^e]llo", "hallo", true],
  ["h[^e]llo", "hello", false],
  ["h[a-b]llo", "hbllo", true],
  ["h[b-a]llo", "hbllo", true], // a reversed range still counts
  ["h[a-b]llo", "hcllo", false],
  ["a\\*b", "a*b", true],
  ["a\\*b", "axb", false],
  ["a[\\]]b", "a]b", true],
  ["a[\\-]b", "a-b", true],
  ["a[]b", "ab", false],
  ["a[]b", "a]b", false],
  ["a[^]b", "axb", true],
  ["a[bc", "ab", true], // an unclosed set runs to the end of the pattern
  ["a[bc", "ac", true],
  ["a[bc", "ad", false],
  ["user:*:email", "user:42:email", true],
  ["user:*:email", "user:42:name", false],
  ["*:*:*", "a:b:c", true],
  ["*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false],
  ["a\\", "a\\", true], // a trailing backslash is itself
  ["a**b", "ab", true],
  ["cart:[0-9]*", "cart:7abc", true],
  ["cart:[0-9]*", "cart:x7", false],
];

describe("compileRedisGlob", () => {
  it.each(cases)("%s against %s", (pattern, key, matches) => {
    expect(compileRedisGlob(pattern)(key)).toBe(matches);
  });
});
