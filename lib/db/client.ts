import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "@/lib/config";
import { PrismaClient } from "./generated/client";

function createClient() {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: config().DATABASE_URL, max: 10 }) });
}

type Db = ReturnType<typeof createClient>;

// One client per process; in development Next.js reloads modules, so keep it on globalThis.
const globalForPrisma = globalThis as unknown as { corralPrisma?: Db };

function client(): Db {
  globalForPrisma.corralPrisma ??= createClient();
  return globalForPrisma.corralPrisma;
}

// Created on first use rather than at import, so that `next build`, which imports every
// route module, needs no DATABASE_URL.
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const value: unknown = Reflect.get(client(), property);
    return typeof value === "function" ? value.bind(client()) : value;
  },
});
