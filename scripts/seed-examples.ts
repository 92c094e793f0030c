// npm run db:seed-examples — the example templates of the quick start (lib/templates/example-templates.ts),
// made once in DATABASE_URL's database; `npm start` runs it when it starts the sandbox.
import { seedExampleTemplates } from "@/lib/templates/seed-example-templates";
import { db } from "@/lib/db/client";

const made = await seedExampleTemplates();
console.log(made.length > 0 ? `example templates made: ${made.join(", ")}` : "example templates: already made once");
await db.$disconnect();
