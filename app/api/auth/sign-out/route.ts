import { NextResponse } from "next/server";
import { deleteSession, SESSION_COOKIE } from "@/lib/auth/sessions";
import { withPublicRoute } from "@/lib/http/with-route";

// POST /api/auth/sign-out – end this browser's session
export const POST = withPublicRoute(async ({ request }) => {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(token);
  const response = NextResponse.json({ signedOut: true });
  response.cookies.delete(SESSION_COOKIE);
  return response;
});
