// What the sign-in page may say after a failed sign-in: fixed texts chosen by code, so no
// text from a URL ever reaches the page.
export const SIGN_IN_ERRORS = {
  expired: "This sign-in has expired or was started in another browser. Start again.",
  rejected: "The sign-in provider's answer could not be verified. Start again.",
  unavailable: "The sign-in provider does not answer right now. Try again shortly.",
  "email-taken": "An account with your e-mail address already exists and cannot be linked automatically. Ask an administrator.",
  failed: "Signing in failed. Try again, and tell an administrator if it keeps failing.",
} as const;

export type SignInErrorCode = keyof typeof SIGN_IN_ERRORS;

export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  return code in SIGN_IN_ERRORS ? SIGN_IN_ERRORS[code as SignInErrorCode] : SIGN_IN_ERRORS.failed;
}
