import "server-only";
import type { DataSource } from "@/lib/db/generated/client";
import { createMysqlMasker } from "./masking/mysql-masker";
import { createRedisMask } from "./masking/redis-mask";
import { maskingRulesSchema } from "./masking/schemas";
import type { MysqlMaskFactory, RedisMask } from "./types";

export interface Masks {
  mysql?: MysqlMaskFactory;
  redis?: RedisMask;
}

/** A protected source's masking rules, compiled with the installation's masking secret. */
export function masksFor(source: Pick<DataSource, "kind" | "maskingRules">, secret: Buffer): Masks {
  const rules = maskingRulesSchema.parse(source.maskingRules ?? { columns: [], redis: [] });
  if (source.kind === "mysql") return { mysql: createMysqlMasker(rules.columns, secret) };
  if (source.kind === "redis") return { redis: createRedisMask(rules.redis, secret) };
  return {};
}
