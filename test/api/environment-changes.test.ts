import { randomBytes } from "node:crypto";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as events } from "@/app/api/v1/environments/changes/route";
import { db } from "@/lib/db/client";
import { type EnvironmentChange, listenerCount, notifyEnvironmentChanged, subscribeEnvironmentChanges } from "@/lib/environments/change-feed";
import { type Frame, frameParser } from "../support/sse";
import { callRoute } from "../support/call-route";
import { ORIGIN, signedIn } from "../support/sign-in";
import { eventually } from "../support/eventually";

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;
const DEADLINE_MS = 2_000;

let dev: Awaited<ReturnType<typeof signedIn>>;
beforeAll(async () => {
  dev = await signedIn("developer");
});

const open: Feed[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((feed) => feed.cancel()));
});

describe("GET /api/v1/environments/changes", () => {
  it("streams exactly the named environment's changes as SSE frames", async () => {
    const id = unique("env");
    const feed = await openFeed(`?id=${id}`);
    expect(feed.headers.get("content-type")).toBe("text/event-stream");
    expect(feed.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(feed.headers.get("x-accel-buffering")).toBe("no");
    await feed.connected;

    await notifyEnvironmentChanged(db, { id: unique("other"), status: "ready" });
    await notifyEnvironmentChanged(db, { id, status: "ready" });
    await feed.waitFor((f) => f.event === "change");

    // The other id was notified first; had it passed the filter it would be here too.
    expect(feed.changes()).toEqual([{ id, status: "ready", at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(feed.frames[0]).toEqual({ comments: ["connected"] });
  });

  it("streams every environment's changes without an id, and skips malformed notifications", async () => {
    const feed = await openFeed();
    await feed.connected;
    const [a, b] = [unique("a"), unique("b")];
    await db.$executeRaw`SELECT pg_notify('corral_environment', 'not json')`;
    await db.$executeRaw`SELECT pg_notify('corral_environment', '{"id":5,"status":"ready"}')`;
    await notifyEnvironmentChanged(db, { id: a, status: "degraded" });
    await notifyEnvironmentChanged(db, { id: b, status: "failed" });
    await feed.waitFor((f) => f.event === "change" && f.data?.includes(b) === true);
    expect(feed.changes().map((c) => [c.id, c.status])).toEqual([
      [a, "degraded"],
      [b, "failed"],
    ]);
  });

  it("hears a change made in a transaction only once it commits, and never one rolled back", async () => {
    const feed = await openFeed();
    await feed.connected;
    const [inTx, marker, rolledBack, marker2] = [unique("tx"), unique("mark"), unique("rb"), unique("mark")];

    await db.$transaction(
      async (tx) => {
        await notifyEnvironmentChanged(tx, { id: inTx, status: "ready" });
        // Committed at once, so once it arrives anything already delivered would be here too.
        await notifyEnvironmentChanged(db, { id: marker, status: "ready" });
        await feed.waitFor((f) => f.data?.includes(marker) === true);
        expect(feed.changes().map((c) => c.id)).toEqual([marker]);
      },
      { timeout: 5_000 },
    );
    await feed.waitFor((f) => f.data?.includes(inTx) === true);
    expect(feed.changes().map((c) => c.id)).toEqual([marker, inTx]);

    await expect(
      db.$transaction(async (tx) => {
        await notifyEnvironmentChanged(tx, { id: rolledBack, status: "ready" });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await notifyEnvironmentChanged(db, { id: marker2, status: "ready" });
    await feed.waitFor((f) => f.data?.includes(marker2) === true);
    expect(feed.changes().map((c) => c.id)).toEqual([marker, inTx, marker2]);
  });

  it("answers 401 without credentials and 400 for an overlong id", async () => {
    const anonymous = await callRoute(events, { path: "/api/v1/environments/changes" });
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "unauthenticated"]);
    expect(listenerCount()).toBe(0);
    const long = await callRoute(events, { path: `/api/v1/environments/changes?id=${"x".repeat(65)}`, headers: dev.headers });
    expect(long.status).toBe(400);
    expect(Object.keys(long.body.error.details)).toEqual(["id"]);
  });

  it("drops its listener when the request is aborted or the stream cancelled", async () => {
    const before = listenerCount();
    const abort = new AbortController();
    const aborted = await openFeed("", abort.signal);
    const cancelled = await openFeed();
    await Promise.all([aborted.connected, cancelled.connected]);
    expect(listenerCount()).toBe(before + 2);

    abort.abort();
    await until(() => listenerCount() === before + 1);
    await aborted.ended; // the server closed the stream
    await cancelled.cancel();
    await until(() => listenerCount() === before);
  });
});

describe("the change feed", () => {
  it("reconnects after its connection is killed, tells subscribers of the gap, and closes when the last leaves", async () => {
    const heard: EnvironmentChange[] = [];
    const gaps: boolean[] = [];
    const unsubscribe = subscribeEnvironmentChanges((c) => heard.push(c), { onListening: ({ gap }) => gaps.push(gap) });
    const feed = await openFeed();
    await feed.connected;
    await until(() => gaps.length === 1);
    expect(gaps).toEqual([false]);

    const [backend] = await listeners();
    expect(backend).toBeDefined();
    await db.$queryRaw`SELECT pg_terminate_backend(${backend!.pid}::int)`;
    await until(() => gaps.length === 2);
    expect(gaps).toEqual([false, true]);
    await feed.waitFor((f) => f.event === "resync");
    const after = await listeners();
    expect(after).toHaveLength(1);
    expect(after[0]!.pid).not.toBe(backend!.pid);

    const id = unique("back");
    await notifyEnvironmentChanged(db, { id, status: "ready" });
    await until(() => heard.some((c) => c.id === id));
    await feed.waitFor((f) => f.data?.includes(id) === true);

    unsubscribe();
    await feed.cancel();
    expect(listenerCount()).toBe(0);
    await until(async () => (await listeners()).length === 0);
  });
});

// The feed's LISTEN connections to this test database, as Postgres sees them.
function listeners() {
  return db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE application_name = 'corral-change-feed' AND datname = current_database()`;
}


interface Feed {
  headers: Headers;
  frames: Frame[];
  /** Resolves on the `: connected` comment: from then on every change is heard. */
  connected: Promise<Frame>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  waitFor(match: (frame: Frame) => boolean, ms?: number): Promise<Frame>;
  changes(): EnvironmentChange[];
  cancel(): Promise<void>;
}

async function openFeed(search = "", signal?: AbortSignal): Promise<Feed> {
  const request = new NextRequest(new URL(`/api/v1/environments/changes${search}`, ORIGIN), { headers: dev.headers, signal });
  const response = await events(request, { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  const wake = new Set<() => void>();
  let done = false;
  const feed = frameParser((frame) => frames.push(frame));

  const ended = (async () => {
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        feed(decoder.decode(chunk.value, { stream: true }));
        for (const w of wake) w();
      }
    } finally {
      done = true;
      for (const w of wake) w();
    }
  })();

  const waitFor = (match: (frame: Frame) => boolean, ms = DEADLINE_MS) =>
    new Promise<Frame>((resolve, reject) => {
      const check = () => {
        const found = frames.find(match);
        if (found || done) {
          clearTimeout(timer);
          wake.delete(check);
          if (found) resolve(found);
          else reject(new Error(`stream ended without the frame; got ${JSON.stringify(frames)}`));
        }
      };
      const timer = setTimeout(() => {
        wake.delete(check);
        reject(new Error(`no such frame within ${ms} ms; got ${JSON.stringify(frames)}`));
      }, ms);
      wake.add(check);
      check();
    });

  const result: Feed = {
    headers: response.headers,
    frames,
    connected: waitFor((f) => f.comments?.includes("connected") === true),
    ended,
    waitFor,
    changes: () => frames.filter((f) => f.event === "change").map((f) => JSON.parse(f.data!) as EnvironmentChange),
    cancel: async () => {
      if (!done) await reader.cancel();
      await ended;
    },
  };
  open.push(result);
  return result;
}

/** Waits for a condition, checking often, failing at a deadline. */
function until(condition: () => boolean | Promise<boolean>, ms = DEADLINE_MS) {
  return eventually(async () => (await condition()) || null, `condition ${condition.toString()}`, ms);
}
