import { NextResponse } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/cookie-names";
import { deleteSession } from "@/lib/auth/sessions";
import { publicOrigin } from "@/lib/http/request-meta";
import { otherMethods, withPublicRoute } from "@/lib/http/with-route";

// POST /api/auth/sign-out – end this browser's session and go to the sign-in page (a plain
// form post, so it works before the page's scripts have loaded)
export const POST = withPublicRoute(async ({ request }) => {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  if (token) await deleteSession(token);
  const response = NextResponse.redirect(new URL("/sign-in", publicOrigin(request)), 303);
  response.cookies.delete(SESSION_COOKIE);
  return response;
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
