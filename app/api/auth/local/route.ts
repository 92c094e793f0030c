import { NextResponse } from "next/server";
import { localSignIn } from "@/lib/auth/local-sign-in";
import { localSignInSchema } from "@/lib/auth/schemas";
import { startSession } from "@/lib/auth/start-session";
import { otherMethods, withPublicRoute } from "@/lib/http/with-route";

// POST /api/auth/local – the quick start's sign-in: a name and a role (only when turned on)
export const POST = withPublicRoute(async ({ request, body }) => {
  const user = await localSignIn(await body(localSignInSchema));
  return startSession(request, NextResponse.json({ user }), user, "local");
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
