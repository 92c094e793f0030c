// Shared by the e2e provider, Playwright's config and the specs.
const portalPort = Number(process.env.E2E_PORT ?? 3100);
const port = Number(process.env.E2E_OIDC_PORT ?? 3190);

export const E2E_OIDC = {
  port,
  issuer: `http://127.0.0.1:${port}`,
  clientId: "corral-e2e",
  // A throwaway value for the local test provider; the secrets spec proves Corral never shows it.
  clientSecret: "e2e-client-secret-4b1f0c9a7d2e",
  redirectUri: `http://127.0.0.1:${portalPort}/api/auth/oidc/callback`,
  roleMap: "eng-leads=lead,qa-team=qa,platform-admins=admin",
};
