// npm run db:seed-examples — the quick start's examples, made once in DATABASE_URL's database:
// the example templates (lib/templates/example-templates.ts) and, where the machine's MariaDB
// and Redis and the sandbox's S3 answer, store hosts and example production data sources
// (lib/data/seed-example-data-sources.ts). `npm start` runs it when it starts the sandbox.
import { seedExampleDataSources } from "@/lib/data/seed-example-data-sources";
import { seedExampleTemplates } from "@/lib/templates/seed-example-templates";
import { db } from "@/lib/db/client";

const made = await seedExampleTemplates();
console.log(made.length > 0 ? `example templates made: ${made.join(", ")}` : "example templates: already made once");
if (process.env.CORRAL_QUICKSTART_DATA !== "off") {
  const s3Endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const data = await seedExampleDataSources({
    mysqlUrl: process.env.CORRAL_QUICKSTART_MYSQL_URL ?? "mysql://root@127.0.0.1:3306",
    redisUrl: process.env.CORRAL_QUICKSTART_REDIS_URL ?? "redis://127.0.0.1:6379/0",
    s3: process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY ? { endpoint: s3Endpoint, region: process.env.AWS_REGION ?? "us-east-1", accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY } : undefined,
  });
  if (data.made.length > 0) console.log(`example data sources made: ${data.made.join(", ")}`);
  for (const s of data.skipped) console.log(`example data sources: left out ${s}`);
}
await db.$disconnect();
