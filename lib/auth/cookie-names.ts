// Shared with proxy.ts, which runs before any server module is loaded.
export const SESSION_COOKIE = "corral_session";
export const LOGIN_COOKIE = "corral_oidc";
