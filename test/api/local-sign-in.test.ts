import { describe, expect, it } from "vitest";
import { POST as localSignIn } from "@/app/api/auth/local/route";
import { GET as me } from "@/app/api/v1/me/route";
import { db } from "@/lib/db/client";
import { callRoute } from "../support/call-route";
import { ORIGIN } from "../support/sign-in";

async function signIn(name: string, role: string) {
  const res = await callRoute(localSignIn, { method: "POST", body: { name, role }, headers: { origin: ORIGIN } });
  const cookie = /corral_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  return { ...res, cookie };
}

describe("local sign-in", () => {
  it("keeps distinct names apart: case, punctuation and look-alike letters are other people", async () => {
    const tag = Date.now().toString(36);
    const names = [`SEC VICTIM ${tag}`, `sec.victim.${tag}`, `ſec-victim-${tag}`, `Sec Victim ${tag}`];
    const ids = new Set<string>();
    for (const name of names) {
      const res = await signIn(name, "developer");
      expect(res.status).toBe(200);
      expect(res.body.user.name).toBe(name);
      ids.add(res.body.user.id);
    }
    expect(ids.size).toBe(names.length);
    // The same name again is the same person.
    expect((await signIn(names[0]!, "developer")).body.user.id).toBe((await signIn(names[0]!, "developer")).body.user.id);
  });

  it("refuses to change an existing name's role, and leaves its open sessions as they were", async () => {
    const name = `Victim Lead ${Date.now().toString(36)}`;
    const first = await signIn(name, "lead");
    expect(first.status).toBe(200);
    const again = await signIn(name, "admin");
    expect(again.status).toBe(409);
    expect(again.body.error.details.role[0]).toMatch(/is a lead\. Sign in as lead, or choose another name/);
    expect(again.cookie).toBeUndefined();
    const who = await callRoute(me, { headers: { cookie: `corral_session=${first.cookie}` } });
    expect(who.body.role).toBe("lead");
    expect((await db.user.findUniqueOrThrow({ where: { id: first.body.user.id } })).role).toBe("lead");
  });
});
