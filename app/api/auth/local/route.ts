import { NextResponse } from "next/server";
import { recordAudit } from "@/lib/audit/record-audit";
import { localSignIn, localSignInSchema } from "@/lib/auth/local-sign-in";
import { createSession, sessionCookie } from "@/lib/auth/sessions";
import { clientIp, isSecure } from "@/lib/http/request-meta";
import { withPublicRoute } from "@/lib/http/with-route";

// POST /api/auth/local – the quick start's sign-in: a name and a role (only when turned on)
export const POST = withPublicRoute(async ({ request, body }) => {
  const user = await localSignIn(await body(localSignInSchema));
  const session = await createSession(user.id, "local", { ip: clientIp(request), userAgent: request.headers.get("user-agent") });
  await recordAudit({ actor: { id: user.id, via: "session" }, action: "auth.sign-in", targetType: "user", targetId: user.id, ip: clientIp(request), outcome: "ok", details: { method: "local", role: user.role } });
  const response = NextResponse.json({ user });
  response.cookies.set(sessionCookie(session.token, session.expiresAt, isSecure(request)));
  return response;
});
