/** The purpose a subscription's signing secret is sealed for (lib/secrets binds it in). */
export const webhookSecretPurpose = (id: string) => `webhook:${id}`;
