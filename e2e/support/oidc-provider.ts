// A real OpenID Connect provider (the `oidc-provider` package) on loopback for the e2e
// suite: Corral signs in against it through the full redirect flow. Its development login
// page accepts any login; the login chooses the person, and with it their groups.
import Provider from "oidc-provider";
import { E2E_OIDC } from "./oidc-settings";

const people: Record<string, { name: string; email: string; groups: string[] }> = {
  lena: { name: "Lena Lead", email: "lena@example.com", groups: ["eng-leads", "everyone"] },
  quinn: { name: "Quinn QA", email: "quinn@example.com", groups: ["qa-team"] },
  devi: { name: "Devi Developer", email: "devi@example.com", groups: ["everyone"] },
};

const provider = new Provider(E2E_OIDC.issuer, {
  clients: [
    {
      client_id: E2E_OIDC.clientId,
      client_secret: E2E_OIDC.clientSecret,
      redirect_uris: [E2E_OIDC.redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ["sub"], email: ["email"], profile: ["name", "groups"] },
  // Put the scopes' claims in the ID token, as many providers do for groups.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => {
      const person = people[id] ?? { name: id, email: `${id}@example.com`, groups: [] };
      return { sub: id, ...person };
    },
  }),
});
provider.proxy = true;

provider.listen(E2E_OIDC.port, "127.0.0.1", () => {
  console.log(`oidc-provider listening at ${E2E_OIDC.issuer}`);
});
