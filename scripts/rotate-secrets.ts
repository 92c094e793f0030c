// npm run secrets:rotate — after putting a new key first in CORRAL_SECRET_KEYS: re-seals every
// stored secret with it. Then the old key can be dropped from the list.
import { rotateSecrets } from "@/lib/secrets/rotate-secrets";
import { db } from "@/lib/db/client";

const { resealed, current } = await rotateSecrets();
console.log(`secrets re-sealed with the first key: ${resealed}; already current: ${current}`);
await db.$disconnect();
