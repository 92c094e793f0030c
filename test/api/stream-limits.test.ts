import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as changeStream } from "@/app/api/v1/environments/changes/route";
import { createApiToken } from "@/lib/auth/api-tokens";
import { openStreamCount } from "@/lib/http/stream-slots";
import { eventually } from "../support/eventually";
import { signedIn } from "../support/sign-in";

// Read once, at the first request: this file's own limits.
process.env.CORRAL_MAX_STREAMS_PER_USER = "3";
process.env.CORRAL_MAX_STREAMS_PER_TOKEN = "2";

const open: AbortController[] = [];
afterAll(() => open.forEach((c) => c.abort()));

/** Opens the change stream and leaves it open, as a browser tab would. */
async function openStream(headers: Record<string, string>) {
  const controller = new AbortController();
  const request = new NextRequest("http://corral.test/api/v1/environments/changes", { headers, signal: controller.signal });
  const response = await changeStream(request, { params: Promise.resolve({}) });
  if (response.status === 200) open.push(controller);
  return { response, close: () => controller.abort() };
}

let user: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  user = await signedIn("developer");
});

describe("open streams per person and per token", () => {
  it("refuses the one past the limit with 429, Retry-After and the limit named, and lets one in again when another closes", async () => {
    const streams = [await openStream(user.headers), await openStream(user.headers), await openStream(user.headers)];
    expect(streams.map((s) => s.response.status)).toEqual([200, 200, 200]);
    const refused = await openStream(user.headers);
    expect(refused.response.status).toBe(429);
    expect(refused.response.headers.get("retry-after")).toMatch(/^\d+$/);
    const body = (await refused.response.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/3 streams open.*CORRAL_MAX_STREAMS_PER_USER/) });

    streams[0]!.close();
    await eventually(async () => (await openStream(user.headers)).response.status === 200, "a slot to come free after a stream closed", 5_000);
  });

  it("limits a token on its own, below its owner's limit", async () => {
    const other = await signedIn("developer");
    const token = await createApiToken({ ...other.user, via: "session", scopes: null }, { name: "streams", scopes: ["environments:read"], expiresInDays: 1 });
    const headers = { authorization: `Bearer ${token.token}` };
    expect((await openStream(headers)).response.status).toBe(200);
    expect((await openStream(headers)).response.status).toBe(200);
    const refused = await openStream(headers);
    expect(refused.response.status).toBe(429);
    expect(((await refused.response.json()) as { error: { message: string } }).error.message).toMatch(/token has 2 streams open/);
    // The same person in the browser still has a slot.
    expect((await openStream(other.headers)).response.status).toBe(200);
  });

  it("gives the slot back when the stream ends on the server's side too", async () => {
    const before = openStreamCount();
    const s = await openStream((await signedIn("qa")).headers);
    expect(openStreamCount()).toBe(before + 1);
    await s.response.body!.cancel();
    expect(openStreamCount()).toBe(before);
  });
});
