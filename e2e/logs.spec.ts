import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { openLogStreams } from "./support/sandbox-control";
import { startTcpProxy } from "./support/tcp-proxy";

// One at a time: the first test counts the sandbox's open log streams, which the others open too.
test.describe.configure({ timeout: 90_000, mode: "serial" });

async function environmentWith(api: APIRequestContext, cleanup: { environment: (id: string) => void }, image: string, status: string) {
  const name = `logs-${randomBytes(3).toString("hex")}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image }] } });
  expect(created.status()).toBe(202);
  const { id } = await created.json();
  cleanup.environment(id);
  await expect.poll(async () => (await (await api.get(`/api/v1/environments/${id}`)).json()).status, { timeout: 30_000 }).toBe(status);
  return { id, name };
}

test("follows a component's logs live: filter, pause, resume, download; closing the page closes the streams", async ({ page, api, cleanup }) => {
  const env = await environmentWith(api, cleanup, "nginx:1.27.3", "ready");
  const baseline = await openLogStreams();

  await page.goto(`/environments/${env.id}`);
  await page.getByRole("link", { name: "Logs of web" }).click();
  await expect(page.getByTestId("log-connection")).toHaveText("Live");
  const lines = page.getByTestId("log-lines").locator(".log-line");
  await expect(lines.first()).toBeVisible();
  expect(await openLogStreams()).toBe(baseline + 1);

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

  // Pause: the view stands still while lines keep coming in; resume shows them.
  await page.getByRole("button", { name: "Pause" }).click();
  const frozen = await lastText();
  await expect(page.getByRole("button", { name: /^Resume \([\d,]+ new\)$/ })).toBeVisible();
  expect(await lastText()).toBe(frozen);
  await page.getByRole("button", { name: /^Resume/ }).click();
  await expect.poll(lastText).not.toBe(frozen);

  // Download the lines in view.
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download view" }).click();
  const file = readFileSync(await (await download).path(), "utf8");
  expect(file.split("\n").length).toBeGreaterThan(10);
  expect(file).toMatch(/^\d{4}-\d\d-\d\dT\S+ \[web-[^\]]+\/web\] /);

  // Leaving the page closes the upstream log stream.
  await page.goto("/environments");
  await expect.poll(openLogStreams, { timeout: 5_000 }).toBe(baseline);
});

test("shows the previous container of a crash-looping pod, one click from its status", async ({ page, api, cleanup }) => {
  const env = await environmentWith(api, cleanup, "acme/web:crashloop", "degraded");
  await page.goto(`/environments/${env.id}`);
  await page.getByRole("link", { name: "previous logs" }).first().click();
  await expect(page.getByLabel("Previous container")).toBeChecked();
  await expect(page.getByTestId("log-lines")).toContainText("FATAL");
  await expect(page.getByTestId("log-connection")).toHaveText("Ended");
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
