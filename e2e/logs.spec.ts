import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { openLogStreams } from "./support/sandbox-control";
import { startTcpProxy } from "./support/tcp-proxy";

// One at a time: the first test counts the sandbox's open log streams, which the others open too.
test.describe.configure({ timeout: 90_000, mode: "serial" });

async function environmentWith(api: APIRequestContext, cleanup: { environment: (id: string) => void }, image: string, status: string, replicas = 1) {
  const name = `logs-${randomBytes(3).toString("hex")}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image, replicas }] } });
  expect(created.status()).toBe(202);
  const { id } = await created.json();
  cleanup.environment(id);
  await expect.poll(async () => (await (await api.get(`/api/v1/environments/${id}`)).json()).status, { timeout: 30_000 }).toBe(status);
  return { id, name };
}

test("follows a component's logs live: filter, pause, resume, download; closing the page closes the streams", { tag: "@live" }, async ({ page, api, cleanup }) => {
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready");
  const streams = () => openLogStreams(env.name);
  const baseline = await streams();

  await page.goto(`/environments/${env.id}`);
  await page.getByRole("link", { name: "Logs of web" }).click();
  await expect(page.getByTestId("log-connection")).toHaveText("Live");
  const lines = page.getByTestId("log-lines").locator(".log-line");
  await expect(lines.first()).toBeVisible();
  expect(await streams()).toBe(baseline + 1);

  // Lines keep arriving: the last one shown changes.
  const lastText = () => lines.last().textContent();
  const first = await lastText();
  await expect.poll(lastText).not.toBe(first);

  // Filter to the error lines.
  await page.getByLabel("Search logs").fill("ERROR");
  await expect(page.getByTestId("match-count")).toHaveText(/^[1-9][\d,]* match/, { timeout: 20_000 });
  await expect(lines.first()).toContainText("ERROR");
  const shownTexts = await lines.allTextContents();
  expect(shownTexts.every((t) => t.includes("ERROR"))).toBe(true);
  await expect(lines.first().locator("mark")).toHaveText("ERROR");
  await page.getByLabel("Search logs").fill("");

  // Today's lines show their time alone.
  await expect(lines.last().locator(".log-time")).toHaveText(/^\d\d:\d\d:\d\d\.\d{3}$/);

  // Pause: the view stands still while lines keep coming in, and looks paused, not only on the
  // button; resume shows them and looks live again.
  const viewer = page.getByTestId("log-lines");
  await expect(viewer).toHaveAttribute("data-state", "following");
  await expect(page.getByTestId("paused-strip")).toHaveCount(0);
  await page.getByRole("button", { name: "Pause" }).click();
  const frozen = await lastText();
  await expect(page.getByRole("button", { name: /^Resume \([\d,]+ new\)$/ })).toBeVisible();
  await expect(page.getByTestId("log-connection")).toHaveText("Paused");
  await expect(page.getByTestId("log-connection")).toHaveClass(/connection-paused/);
  await expect(viewer).toHaveAttribute("data-state", "paused");
  await expect(viewer).toHaveClass(/\bpaused\b/);
  await expect(page.getByTestId("paused-strip")).toContainText(/Paused.*[\d,]+ new lines? wait/);
  expect(await lastText()).toBe(frozen);
  await page.getByRole("button", { name: /^Resume/ }).first().click();
  await expect(page.getByTestId("log-connection")).toHaveText("Live");
  await expect(page.getByTestId("paused-strip")).toHaveCount(0);
  await expect(viewer).toHaveAttribute("data-state", "following");
  await expect.poll(lastText).not.toBe(frozen);

  // The time range's inputs are labelled for screen readers.
  await expect(page.getByLabel("From")).toHaveAttribute("type", "datetime-local");
  await expect(page.getByLabel("To", { exact: true })).toHaveAttribute("type", "datetime-local");

  // Download the lines in view.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download view" }).click();
  const file = readFileSync(await (await download).path(), "utf8");
  expect(file.split("\n").length).toBeGreaterThan(10);
  expect(file).toMatch(/^\d{4}-\d\d-\d\dT\S+ \[web-[^\]]+\/web\] /);

  // Leaving the page closes the upstream log stream.
  await page.goto("/environments");
  await expect.poll(streams, { timeout: 5_000 }).toBe(baseline);
});

test("stays pinned to the end while following, whatever the rate; the reader scrolling up leaves it, Jump to end comes back", { tag: "@live" }, async ({ page, api, cleanup }) => {
  // Three pods merged: three times the sandbox's rate, in many small batches.
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready", 3);
  await page.goto(`/environments/${env.id}/logs?component=web`);
  await expect(page.getByTestId("log-connection")).toHaveText("Live");
  const viewer = page.getByTestId("log-lines");
  await expect(viewer.locator(".log-line").first()).toBeVisible();

  // Look at the view at every frame and between tasks while 3,000 more lines arrive: each time
  // it is scrolled to its very end, and the last line is drawn.
  const report = await page.evaluate(async (more) => {
    const el = document.querySelector<HTMLElement>('[data-testid="log-lines"]')!;
    const count = () => Number(document.querySelector('[data-testid="line-count"]')!.textContent!.replace(/\D/g, ""));
    const until = count() + more;
    const off: string[] = [];
    let samples = 0;
    const look = (when: string) => {
      samples++;
      const rows = el.querySelectorAll(".log-line");
      const last = Number(rows[rows.length - 1]?.getAttribute("data-index") ?? -1);
      const gap = el.scrollHeight - el.clientHeight - el.scrollTop;
      if (gap > 1 || last !== count() - 1 || el.dataset.state !== "following") off.push(`${when}: ${gap}px from the end, row ${last} of ${count()}, ${el.dataset.state}`);
    };
    await new Promise<void>((done) => {
      const frame = () => {
        look("frame");
        if (count() < until) requestAnimationFrame(frame);
        else done();
      };
      requestAnimationFrame(frame);
      const task = () => {
        look("task");
        if (count() < until) setTimeout(task, 0);
      };
      setTimeout(task, 0);
    });
    return { samples, off: off.slice(0, 10) };
  }, 3_000);
  expect(report.off).toEqual([]);
  expect(report.samples).toBeGreaterThan(20);
  await expect(page.getByRole("button", { name: "Jump to end ↓" })).toHaveCount(0);

  // The reader scrolls up: following stops, and the lines in view stay while more arrive.
  const box = (await viewer.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -600);
  await expect(viewer).toHaveAttribute("data-state", "still");
  await expect(page.getByRole("button", { name: "Jump to end ↓" })).toBeVisible();
  const firstInView = async () => viewer.evaluate((el) => {
    const top = el.getBoundingClientRect().top;
    const row = [...el.querySelectorAll(".log-line")].find((r) => r.getBoundingClientRect().bottom > top + 1);
    return row?.textContent ?? "";
  });
  const reading = await firstInView();
  const count = async () => Number((await page.getByTestId("line-count").textContent())?.replace(/\D/g, ""));
  const before = await count();
  await expect.poll(count).toBeGreaterThan(before + 300);
  expect(await firstInView()).toBe(reading);

  // Jump to end: pinned again.
  await page.getByRole("button", { name: "Jump to end ↓" }).click();
  await expect(viewer).toHaveAttribute("data-state", "following");
  await expect.poll(() => viewer.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeLessThanOrEqual(1);
});

test("filters by severity, together with the search", async ({ page, api, cleanup }) => {
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready");
  await page.goto(`/environments/${env.id}/logs?component=web&tail=2000`);
  const lines = page.getByTestId("log-lines").locator(".log-line");
  await expect(lines.first()).toBeVisible();
  const texts = () => lines.locator(".log-text").allTextContents();

  // The sandbox writes a WARN every 97th line and an ERROR every 331st.
  await page.getByRole("group", { name: "Severity" }).getByLabel("ERROR").check();
  await expect(lines.first()).toContainText("ERROR");
  expect((await texts()).every((t) => t.startsWith("ERROR"))).toBe(true);

  await page.getByRole("group", { name: "Severity" }).getByLabel("WARN").check();
  await expect.poll(async () => (await texts()).some((t) => t.startsWith("WARN"))).toBe(true);
  expect((await texts()).every((t) => t.startsWith("ERROR") || t.startsWith("WARN"))).toBe(true);

  // With a search: warnings about slow queries only; errors never mention them.
  await page.getByLabel("Search logs").fill("slow query");
  await expect(page.getByTestId("match-count")).toHaveText(/^[1-9][\d,]* match/);
  expect((await texts()).every((t) => t.startsWith("WARN") && t.includes("slow query"))).toBe(true);
  await page.getByRole("group", { name: "Severity" }).getByLabel("WARN").uncheck();
  await expect(page.getByTestId("match-count")).toHaveText("0 matches");
  await expect(lines).toHaveCount(0);

  // No severity chosen: every line again, INFO among them.
  await page.getByLabel("Search logs").fill("");
  await page.getByRole("group", { name: "Severity" }).getByLabel("ERROR").uncheck();
  await expect.poll(async () => (await texts()).some((t) => t.startsWith("INFO"))).toBe(true);
});

test("a link to a line opens the viewer at that line, highlighted and not following", async ({ page, api, cleanup, baseURL }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready", 2);
  await page.goto(`/environments/${env.id}/logs?component=web`);
  const lines = page.getByTestId("log-lines").locator(".log-line");
  await expect(lines.first()).toBeVisible();

  // Hold the view still and copy the link of a line in view, a few above the last.
  await page.getByRole("button", { name: "Pause" }).click();
  const index = await lines.nth((await lines.count()) - 6).getAttribute("data-index");
  const row = page.getByTestId("log-lines").locator(`.log-line[data-index="${index}"]`);
  await expect(row).toBeInViewport();
  const text = await row.locator(".log-text").textContent();
  const time = await row.locator(".log-time").getAttribute("datetime");
  const link = row.getByRole("link", { name: "Copy a link to this line" });
  const href = (await link.getAttribute("href"))!;
  await row.hover();
  await link.click();
  await expect(page.getByTestId("copied-note")).toHaveText("Link to the line copied.");
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(new URL(href, baseURL).toString());
  const url = new URL(copied);
  expect(url.pathname).toBe(`/environments/${env.id}/logs`);
  expect(url.searchParams.get("component")).toBe("web");
  expect(url.searchParams.get("at")).toBe(time);
  expect(url.searchParams.get("source")).toMatch(/^web-[a-z0-9-]+\/web$/);

  // Opened: that line, highlighted, in view, and the view not following while lines arrive.
  await page.goto(copied);
  const target = page.getByTestId("log-lines").locator('.log-line[aria-current="true"]');
  await expect(target).toHaveCount(1);
  await expect(target.locator(".log-text")).toHaveText(text!);
  await expect(target.locator(".log-time")).toHaveAttribute("datetime", time!);
  await expect(target).toBeInViewport();
  await expect(page.getByTestId("log-lines")).toHaveAttribute("data-state", "still");
  await expect(page.getByRole("button", { name: "Jump to end ↓" })).toBeVisible();
  await expect(page.getByTestId("log-connection")).toHaveText("Live");
  const count = async () => Number((await page.getByTestId("line-count").textContent())?.replace(/\D/g, ""));
  const before = await count();
  await expect.poll(count).toBeGreaterThan(before + 300);
  await expect(target).toBeInViewport();
});

test("puts the date beside the time of lines that are not from today", async ({ page, api, cleanup }) => {
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready");
  // The browser's today is two days on: every line the sandbox writes is from another day.
  await page.clock.setFixedTime(new Date(Date.now() + 2 * 86_400_000));
  await page.goto(`/environments/${env.id}/logs?component=web`);
  const first = page.getByTestId("log-lines").locator(".log-line").first();
  await expect(first.locator(".log-time")).toHaveText(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  // The date is the line's own (one read: the rows move on as lines arrive).
  const [shown, stamp] = await first.locator(".log-time").evaluate((el) => [el.textContent!, el.getAttribute("datetime")!]);
  expect(shown).toBe(`${stamp.slice(0, 10)} ${stamp.slice(11, 23)}`);
});

test("shows the previous container of a crash-looping pod, one click from its status; an ended stream has no Pause", async ({ page, api, cleanup }) => {
  const env = await environmentWith(api, cleanup, "acme/web:crashloop", "degraded");
  await page.goto(`/environments/${env.id}`);
  await page.getByRole("link", { name: "previous logs" }).first().click();
  await expect(page.getByLabel("Previous container")).toBeChecked();
  await expect(page.getByTestId("log-lines")).toContainText("FATAL");
  await expect(page.getByTestId("log-connection")).toHaveText("Ended");
  await expect(page.getByRole("button", { name: "Pause" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Resume/ })).toHaveCount(0);
  // The pod says how often it restarted in words.
  const option = page.getByLabel("Pod").locator("option").nth(1);
  await expect(option).toHaveText(/ \(restarted (once|[\d,]+ times)\)$/);
});

test("after a dropped connection it resumes from the last line it had: no gap, no duplicate", async ({ page, api, cleanup, baseURL }) => {
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready");
  const proxy = await startTcpProxy(Number(new URL(baseURL!).port));
  try {
    await page.goto(`${proxy.url}/environments/${env.id}/logs?component=web`);
    await expect(page.getByTestId("log-connection")).toHaveText("Live");
    await expect(page.getByTestId("log-lines").locator(".log-line").first()).toBeVisible();

    proxy.cut();
    await expect(page.getByTestId("log-connection")).toHaveText("Reconnecting…");
    await expect(page.getByTestId("log-connection")).toHaveText("Live", { timeout: 20_000 });
    // Let lines from after the reconnect come in.
    const count = async () => Number((await page.getByTestId("line-count").textContent())?.replace(/\D/g, ""));
    const before = await count();
    await expect.poll(count).toBeGreaterThan(before + 200);

    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download view" }).click();
    const lines = readFileSync(await (await download).path(), "utf8").trim().split("\n");
    const seen = new Set<string>();
    const lastBySource = new Map<string, number>();
    for (const line of lines) {
      expect(seen.has(line), `duplicate: ${line}`).toBe(false);
      seen.add(line);
      const [time, source] = line.split(" ");
      const t = Date.parse(time!);
      const last = lastBySource.get(source!);
      // The sandbox writes a line every 5 ms (200 a second); banner lines share one time.
      if (last !== undefined) expect([0, 5], `gap before: ${line}`).toContain(t - last);
      lastBySource.set(source!, t);
    }
  } finally {
    await proxy.close();
  }
});
