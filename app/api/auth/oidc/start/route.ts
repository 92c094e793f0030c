import { NextResponse } from "next/server";
import { LOGIN_COOKIE } from "@/lib/auth/cookie-names";
import { startLogin } from "@/lib/auth/oidc";
import { isSecure, publicOrigin } from "@/lib/http/request-meta";
import { otherMethods, withPublicRoute } from "@/lib/http/with-route";

// GET /api/auth/oidc/start?returnTo=/path – send the browser to the sign-in provider
export const GET = withPublicRoute(async ({ request }) => {
  const { url, cookie } = await startLogin(publicOrigin(request), request.nextUrl.searchParams.get("returnTo") ?? "/environments");
  const response = NextResponse.redirect(url);
  response.cookies.set(LOGIN_COOKIE, cookie.value, {
    httpOnly: true,
    secure: isSecure(),
    sameSite: "lax",
    path: "/api/auth/oidc",
    maxAge: cookie.maxAge,
  });
  return response;
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
