import { compareKeys } from "./wire";

export interface ListRequest {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  /** List what sorts after this (a key, or a common prefix already returned). */
  after: string;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix returned, for the next page's `after`. */
  last?: string;
}

/**
 * One page of ListObjects over keys sorted in S3's order. A common prefix counts as one entry and
 * is returned once across pages: after a page ending with one, every key under it is skipped.
 */
export function listPage(sorted: string[], req: ListRequest): ListPage {
  const keys: string[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  const skipUnder = req.delimiter && isCommonPrefix(req.after, req) ? req.after : undefined;
  for (let i = firstIndexAfter(sorted, compareKeys(req.after, req.prefix) > 0 ? req.after : req.prefix); i < sorted.length; i++) {
    const key = sorted[i] as string;
    if (!key.startsWith(req.prefix)) {
      if (compareKeys(key, req.prefix) > 0) break;
      continue;
    }
    if (compareKeys(key, req.after) <= 0 || (skipUnder && key.startsWith(skipUnder))) continue;
    let entry = key;
    let isPrefix = false;
    if (req.delimiter) {
      const at = key.indexOf(req.delimiter, req.prefix.length);
      if (at >= 0) {
        entry = key.slice(0, at + req.delimiter.length);
        isPrefix = true;
      }
    }
    if (isPrefix && entry === last) continue;
    if (keys.length + commonPrefixes.length >= req.maxKeys) return { keys, commonPrefixes, isTruncated: true, ...(last !== undefined ? { last } : {}) };
    if (isPrefix) commonPrefixes.push(entry);
    else keys.push(entry);
    last = entry;
  }
  return { keys, commonPrefixes, isTruncated: false, ...(last !== undefined ? { last } : {}) };
}

function isCommonPrefix(s: string, req: ListRequest): boolean {
  return s.startsWith(req.prefix) && s.length > req.prefix.length && s.endsWith(req.delimiter) && s.indexOf(req.delimiter, req.prefix.length) === s.length - req.delimiter.length;
}

/** The index of the first key not sorting before `from` (binary search). */
function firstIndexAfter(sorted: string[], from: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(sorted[mid] as string, from) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
