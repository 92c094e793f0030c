import "server-only";
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "./cookie-names";
import { findSessionUser } from "./sessions";

/** The signed-in person for a page render, or null. */
export async function getCurrentUser() {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return (await findSessionUser(token))?.user ?? null;
}
