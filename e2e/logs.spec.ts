import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./support/fixtures";
import { openLogStreams } from "./support/sandbox-control";

test.describe.configure({ timeout: 90_000 });

async function environmentWith(api: APIRequestContext, image: string, status: string) {
  const name = `logs-${randomBytes(3).toString("hex")}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image }] } });
  expect(created.status()).toBe(202);
  const { id } = await created.json();
  await expect.poll(async () => (await (await api.get(`/api/v1/environments/${id}`)).json()).status, { timeout: 30_000 }).toBe(status);
  return { id, name };
}

test("follows a component's logs live: filter, pause, resume, download; closing the page closes the streams", async ({ page, api }) => {
  const env = await environmentWith(api, "nginx:1.27.3", "ready");
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

test("shows the previous container of a crash-looping pod, one click from its status", async ({ page, api }) => {
  const env = await environmentWith(api, "acme/web:crashloop", "degraded");
  await page.goto(`/environments/${env.id}`);
  await page.getByRole("link", { name: "previous logs" }).first().click();
  await expect(page.getByLabel("Previous container")).toBeChecked();
  await expect(page.getByTestId("log-lines")).toContainText("FATAL");
  await expect(page.getByTestId("log-connection")).toHaveText("Ended");
});
