import { NextResponse } from "next/server";
import { recordAudit } from "@/lib/audit/record-audit";
import { finishLogin, LOGIN_COOKIE, readPendingLogin } from "@/lib/auth/oidc";
import { createSession, sessionCookie } from "@/lib/auth/sessions";
import { toAppError } from "@/lib/http/map-error";
import { clientIp, isSecure, publicOrigin } from "@/lib/http/request-meta";
import { withPublicRoute } from "@/lib/http/with-route";
import { log } from "@/lib/log";

// GET /api/auth/oidc/callback – the provider sends the browser back here with a code
export const GET = withPublicRoute(async ({ request, requestId }) => {
  const origin = publicOrigin(request);
  try {
    const pending = readPendingLogin(request.cookies.get(LOGIN_COOKIE)?.value);
    const callbackUrl = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, origin);
    const { user, returnTo } = await finishLogin(callbackUrl, pending);
    const session = await createSession(user.id, "oidc", { ip: clientIp(request), userAgent: request.headers.get("user-agent") });
    await recordAudit({ actor: { id: user.id, via: "session" }, action: "auth.sign-in", targetType: "user", targetId: user.id, ip: clientIp(request), outcome: "ok", details: { method: "oidc", role: user.role } });
    const response = NextResponse.redirect(new URL(returnTo, origin));
    response.cookies.set(sessionCookie(session.token, session.expiresAt, isSecure(request)));
    response.cookies.delete({ name: LOGIN_COOKIE, path: "/api/auth/oidc" });
    return response;
  } catch (error) {
    const appError = toAppError(error);
    log.warn({ requestId, code: appError.code, cause: String((error as Error)?.cause ?? "") }, "sign-in failed");
    return NextResponse.redirect(new URL(`/sign-in?error=${encodeURIComponent(appError.message)}`, origin));
  }
});
