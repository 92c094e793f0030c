import { NextResponse } from "next/server";
import { LOGIN_COOKIE } from "@/lib/auth/cookie-names";
import { finishLogin, readPendingLogin, signInErrorCode } from "@/lib/auth/oidc";
import { returnUrl } from "@/lib/auth/return-to";
import { startSession } from "@/lib/auth/start-session";
import { publicOrigin } from "@/lib/http/request-meta";
import { otherMethods, withPublicRoute } from "@/lib/http/with-route";

// GET /api/auth/oidc/callback – the provider sends the browser back here with a code
export const GET = withPublicRoute(async ({ request, requestId }) => {
  const origin = publicOrigin(request);
  try {
    const pending = readPendingLogin(request.cookies.get(LOGIN_COOKIE)?.value);
    const { user, returnTo } = await finishLogin(new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, origin), pending);
    const response = await startSession(request, NextResponse.redirect(returnUrl(returnTo, origin)), user, "oidc");
    response.cookies.delete({ name: LOGIN_COOKIE, path: "/api/auth/oidc" });
    return response;
  } catch (error) {
    // The sign-in page shows a fixed message for the code: nothing from the URL reaches the page.
    return NextResponse.redirect(new URL(`/sign-in?error=${signInErrorCode(error, requestId)}`, origin));
  }
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
