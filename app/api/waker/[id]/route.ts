import { z } from "zod";
import { AppError } from "@/lib/errors";
import { answerWaker, wakerPage } from "@/lib/lifecycle/waker";
import { otherMethods, withPublicRoute } from "@/lib/http/with-route";

const params = z.object({ id: z.string().min(1).max(64) });

// GET /api/waker/:id – a sleeping environment's names lead here: wake it, and show a page that reloads when it is up
export const GET = withPublicRoute<{ id: string }>(async ({ request, params: raw }) => {
  const parsed = params.safeParse(raw);
  if (!parsed.success) throw new AppError("not_found", "There is no such environment.");
  const answer = await answerWaker(parsed.data.id, request.headers.get("x-forwarded-host"));
  if (answer === null) throw new AppError("not_found", "There is no such environment.");
  const headers = { "cache-control": "no-store", "x-robots-tag": "noindex" };
  if (/\bapplication\/json\b/i.test(request.headers.get("accept") ?? "")) return Response.json(answer, { status: answer.gone ? 404 : 200, headers });
  return new Response(wakerPage(answer), {
    status: answer.gone ? 404 : 503,
    headers: { ...headers, "content-type": "text/html; charset=utf-8", ...(answer.gone ? {} : { "retry-after": "5" }) },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
