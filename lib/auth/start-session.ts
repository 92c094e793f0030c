import "server-only";
import type { NextResponse } from "next/server";
import { recordAudit } from "@/lib/audit/record-audit";
import { clientIp, isSecure } from "@/lib/http/request-meta";
import { createSession, sessionCookie } from "./sessions";

/** After a successful sign-in of either kind: the session, its cookie on `response`, an audit entry. */
export async function startSession(
  request: Request,
  response: NextResponse,
  user: { id: string; role: string },
  method: "oidc" | "local",
): Promise<NextResponse> {
  const ip = clientIp(request);
  const session = await createSession(user.id, method, { ip, userAgent: request.headers.get("user-agent") });
  await recordAudit({
    actor: { id: user.id, via: "session" },
    action: "auth.sign-in",
    targetType: "user",
    targetId: user.id,
    ip,
    outcome: "ok",
    details: { method, role: user.role },
  });
  response.cookies.set(sessionCookie(session.token, session.expiresAt, isSecure()));
  return response;
}
