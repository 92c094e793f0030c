// Redis's glob (KEYS, SCAN MATCH, PSUBSCRIBE), ported from stringmatchlen in Redis's util.c so a
// rule matches exactly the keys Redis itself would: `*`, `?`, `[abc]`, `[^a]`, `[a-z]` (either
// order), `\` escaping the next character in and out of sets, an unclosed `[` running to the end.
// Like Redis it compares bytes (UTF-8), so `?` is one byte, not one character.

export type KeyMatcher = (key: string) => boolean;

export function compileRedisGlob(pattern: string): KeyMatcher {
  // Most patterns are a prefix and a star, or a literal key: no byte walk for those.
  const special = /[*?[\\]/;
  if (!special.test(pattern)) return (key) => key === pattern;
  const star = pattern.indexOf("*");
  if (star === pattern.length - 1 && !special.test(pattern.slice(0, star))) {
    const prefix = pattern.slice(0, star);
    // Redis's loop never runs on an empty key, so even `*` does not match "".
    return (key) => key.length > 0 && key.startsWith(prefix);
  }
  const bytes = Buffer.from(pattern, "utf8");
  return (key) => matchBytes(bytes, Buffer.from(key, "utf8"));
}

export function matchBytes(pattern: Uint8Array, subject: Uint8Array): boolean {
  const skipLongerMatches = { value: false };
  return match(pattern, 0, subject, 0, skipLongerMatches, 0);
}

const STAR = 0x2a, QUESTION = 0x3f, OPEN = 0x5b, CLOSE = 0x5d, CARET = 0x5e, BACKSLASH = 0x5c, DASH = 0x2d;

function match(p: Uint8Array, pi: number, s: Uint8Array, si: number, skipLongerMatches: { value: boolean }, nesting: number): boolean {
  // Redis's guard against patterns of thousands of stars.
  if (nesting > 1000) return false;
  while (pi < p.length && si < s.length) {
    switch (p[pi]) {
      case STAR: {
        while (pi + 1 < p.length && p[pi + 1] === STAR) pi++;
        if (pi === p.length - 1) return true;
        while (si < s.length) {
          if (match(p, pi + 1, s, si, skipLongerMatches, nesting + 1)) return true;
          // The rest matched nowhere after this point: a longer match for an earlier star cannot help.
          if (skipLongerMatches.value) return false;
          si++;
        }
        skipLongerMatches.value = true;
        return false;
      }
      case QUESTION:
        si++;
        break;
      case OPEN: {
        pi++;
        const not = p[pi] === CARET;
        if (not) pi++;
        let matched = false;
        for (;;) {
          if (p[pi] === BACKSLASH && p.length - pi >= 2) {
            pi++;
            if (p[pi] === s[si]) matched = true;
          } else if (p[pi] === CLOSE) {
            break;
          } else if (pi >= p.length) {
            pi--; // an unclosed set ends with the pattern
            break;
          } else if (p.length - pi >= 3 && p[pi + 1] === DASH) {
            let start = p[pi]!;
            let end = p[pi + 2]!;
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (s[si]! >= start && s[si]! <= end) matched = true;
          } else if (p[pi] === s[si]) {
            matched = true;
          }
          pi++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        si++;
        break;
      }
      case BACKSLASH:
        if (p.length - pi >= 2) pi++;
      // falls through: the escaped character is a literal
      default:
        if (p[pi] !== s[si]) return false;
        si++;
        break;
    }
    pi++;
    if (si === s.length) {
      while (pi < p.length && p[pi] === STAR) pi++;
      break;
    }
  }
  return pi === p.length && si === s.length;
}
