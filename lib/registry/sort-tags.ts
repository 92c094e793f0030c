import semver from "semver";

// Tags newest first, by version: 1.10.0 above 1.9.0, a release above its pre-releases
// (2.0.0 > 2.0.0-rc.2 > 2.0.0-rc.1), `v1.2.3` read as 1.2.3 and `1.27` as 1.27.0. Tags that
// are not versions (main, sha-3f2a1c) come after every version, in alphabetical order.
// Docker's variant suffixes (1.27.3-alpine) read as pre-releases of 1.27.3: below it, which
// is where a picker wants them anyway.

const PARTIAL = /^v?\d+(?:\.\d+)?$/;

/** The version a tag names, or null when it names none. */
export function tagVersion(tag: string): semver.SemVer | null {
  const full = semver.parse(tag, { loose: true });
  if (full) return full;
  return PARTIAL.test(tag) ? semver.coerce(tag) : null;
}

/** For Array.prototype.sort: newest first. */
export function compareTagsNewestFirst(a: string, b: string): number {
  return compareParsed(a, tagVersion(a), b, tagVersion(b));
}

/** Sorts tags newest first, reading each tag's version once. */
export function sortTagsNewestFirst(tags: Iterable<string>): string[] {
  const parsed = [...new Set(tags)].map((tag) => ({ tag, version: tagVersion(tag) }));
  parsed.sort((x, y) => compareParsed(x.tag, x.version, y.tag, y.version));
  return parsed.map((p) => p.tag);
}

function compareParsed(a: string, va: semver.SemVer | null, b: string, vb: semver.SemVer | null): number {
  if (va && vb) return semver.rcompare(va, vb) || b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
  if (va) return -1;
  if (vb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
