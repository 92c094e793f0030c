import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.LOG_LEVEL ??= "silent";
process.env.CORRAL_LOCAL_SIGNIN ??= "true";
// A fixed key for sealing test credentials (a throwaway value; never used outside tests).
process.env.CORRAL_SECRET_KEYS ??= "test:Y29ycmFsLXRlc3Qta2V5LTMyLWJ5dGVzLWxvbmchISE=";
// Test receivers listen on loopback.
process.env.CORRAL_WEBHOOKS_ALLOW_PRIVATE ??= "true";
