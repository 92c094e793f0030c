import { defineConfig } from "prisma/config";

// Plain Prisma commands (`npx prisma migrate deploy`, `npx prisma studio`) read this file.
// DATABASE_URL may be absent when only `prisma generate` runs, which needs no database.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/corral" },
});
