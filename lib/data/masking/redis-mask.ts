import { isUtf8 } from "node:buffer";
import type { RedisMask } from "@/lib/data/types";
import { maskBytes, maskEmail, maskHashId, maskingKey, maskName, type MaskingKey, type MaskSecret } from "./mask-value";
import { compileRedisGlob, type KeyMatcher } from "./redis-glob";
import type { RedisRule } from "./schemas";

// The Redis copier's masking. A key's rules are found by glob once per key and remembered for
// the hash fields that follow (HSCAN gives many fields of one key in a row). Of the rules whose
// pattern matches, the first in the list wins, per hash field and for whole string values alike;
// a "keep" rule that wins shields the value from later, broader rules.

interface CompiledRule {
  matches: KeyMatcher;
  hashField: string | undefined;
  keep: boolean;
  mask: (value: Buffer) => Buffer;
}

export function createRedisMask(rules: readonly RedisRule[], secret: MaskSecret): RedisMask {
  const key = maskingKey(secret);
  const compiled: CompiledRule[] = rules.map((rule) => ({ matches: compileRedisGlob(rule.keyPattern), hashField: rule.hashField, keep: rule.kind === "keep", mask: valueMasker(key, rule) }));
  let lastKey: string | undefined;
  let lastRules: CompiledRule[] = [];
  const rulesFor = (redisKey: string): CompiledRule[] => {
    if (redisKey !== lastKey) {
      lastKey = redisKey;
      lastRules = compiled.filter((rule) => rule.matches(redisKey));
    }
    return lastRules;
  };
  return {
    appliesTo: (redisKey) => rulesFor(redisKey).length > 0,
    // The first whole-value rule decides, as in maskString; hash-field rules name no list or set member.
    keepsAsIs: (redisKey) => rulesFor(redisKey).find((r) => r.hashField === undefined)?.keep ?? true,
    maskString: (redisKey, value) => {
      const rule = rulesFor(redisKey).find((r) => r.hashField === undefined);
      return rule ? rule.mask(value) : value;
    },
    maskHashField: (redisKey, field, value) => {
      const rule = rulesFor(redisKey).find((r) => r.hashField === field);
      return rule ? rule.mask(value) : value;
    },
  };
}

/** Values are masked as UTF-8 text when they are valid UTF-8, as bytes otherwise. */
function valueMasker(key: MaskingKey, rule: RedisRule): (value: Buffer) => Buffer {
  switch (rule.kind) {
    case "keep":
      return (value) => value;
    case "fixed": {
      const fixed = Buffer.from(rule.value ?? "", "utf8");
      return () => fixed;
    }
    case "email":
      return (value) => Buffer.from(maskEmail(key, isUtf8(value) ? value.toString("utf8") : value.toString("hex")), "utf8");
    case "name":
      return (value) => Buffer.from(maskName(key, isUtf8(value) ? value.toString("utf8") : value.toString("hex")), "utf8");
    case "hash-id":
      return (value) => (isUtf8(value) ? Buffer.from(maskHashId(key, value.toString("utf8")), "utf8") : maskBytes(key, value));
  }
}
