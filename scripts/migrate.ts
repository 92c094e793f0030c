// npm run db:migrate — applies prisma/migrations to DATABASE_URL (see lib/db/migrate.ts).
import { migrate } from "../lib/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is required (a postgresql:// URL).");
  process.exit(2);
}
const result = await migrate(url);
for (const name of result.applied) console.log(`applied ${name}`);
console.log(`${result.applied.length} applied, ${result.alreadyApplied.length} already applied`);
