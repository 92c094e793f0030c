import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, signInAs, test } from "./support/fixtures";

// Webhooks from the browser: an admin adds one for every environment, copies its secret, sends
// a test and sees it delivered (and the receiver checks its signature as the README says); a
// developer adds one on their environment's page and watches a 503 retried, then delivered.

test.describe.configure({ timeout: 120_000 });

// The README's verification snippet (Webhooks).
function verifyCorral(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean {
  const timestamp = headers["corral-timestamp"] as string | undefined;
  const age = Math.abs(Date.now() / 1000 - Number(timestamp));
  if (!timestamp || !(age <= 300)) return false; // older than 5 minutes: a replay
  const expected = "v1=" + createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex");
  return ((headers["corral-signature"] as string | undefined) ?? "").split(",").some((s) => {
    const given = Buffer.from(s.trim());
    return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
  });
}

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base = "";
const received: Received[] = [];
// Paths that answer 503 to their first request.
const flakyOnce = new Set<string>();

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const first = flakyOnce.delete(path);
      res.writeHead(first ? 503 : 200, { "content-type": "text/plain" }).end(first ? "warming up" : "ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test("an admin adds a webhook for every environment, sends a test, and sees it delivered and verified", async ({ browser, baseURL }) => {
  const { context, page } = await signInAs(browser, baseURL, { name: "E2E Hooks Admin", role: "admin" });
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  const path = `/admin-${randomBytes(3).toString("hex")}`;
  const description = `CI ${path}`;

  await page.getByRole("button", { name: "Add webhook…" }).click();
  const form = page.getByRole("form", { name: "New webhook" });
  // Bad input is refused on its field.
  await form.getByLabel("URL").fill("ftp://example.com/hook");
  await form.getByRole("button", { name: "Add webhook" }).click();
  await expect(form.getByText("Only http:// and https:// URLs can receive webhooks.")).toBeVisible();
  await form.getByLabel("URL").fill(`${base}${path}`);
  await form.getByLabel("Description").fill(description);
  await form.getByRole("checkbox", { name: "environment.degraded" }).check();
  await form.getByRole("button", { name: "Add webhook" }).click();

  const secret = (await page.getByTestId("webhook-secret").textContent())!;
  expect(secret).toMatch(/^whsec_/);
  const hook = page.getByTestId("webhook").filter({ hasText: path });
  await expect(hook).toContainText("environment.degraded");
  await expect(hook).toContainText("of every environment");

  await hook.getByRole("button", { name: `Send test to ${description}` }).click();
  const delivery = hook.getByTestId("delivery-webhook.test");
  await expect(delivery.getByText("Delivered")).toBeVisible({ timeout: 20_000 });
  await expect(delivery).toContainText("200");

  const got = received.filter((r) => r.path === path);
  expect(got).toHaveLength(1);
  expect(verifyCorral(secret, got[0]!.headers, got[0]!.body)).toBe(true);
  expect(JSON.parse(got[0]!.body)).toMatchObject({ type: "webhook.test", data: { sentBy: expect.stringContaining("@") } });
  // Once done with, the secret is not on the page again.
  await page.getByRole("button", { name: "Done" }).click();
  await page.reload();
  await expect(page.getByText(secret)).toHaveCount(0);

  // Removed, so the rest of the suite's environments do not post to this spec's receiver.
  page.once("dialog", (dialog) => void dialog.accept());
  await hook.getByRole("button", { name: `Remove ${description}` }).click();
  await expect(hook).toHaveCount(0);
  await context.close();
});

test("a developer adds a webhook on their environment's page and sees a 503 retried, then delivered", async ({ page, api, cleanup }) => {
  const name = `hooks-${randomBytes(3).toString("hex")}`;
  const created = await api.post("/api/v1/environments", { data: { name, components: [{ name: "web", image: "nginx:1.27.3" }] } });
  expect(created.status()).toBe(202);
  const env = (await created.json()) as { id: string };
  cleanup.environment(env.id);
  // Not theirs to manage: developers have no Webhooks page.
  await page.goto("/environments");
  await expect(page.getByRole("navigation").getByRole("link", { name: "Webhooks" })).toHaveCount(0);

  await page.goto(`/environments/${env.id}`);
  const panel = page.getByTestId("webhooks-panel");
  await expect(panel.getByText("No webhooks yet.")).toBeVisible();
  const path = `/env-${name}`;
  flakyOnce.add(path);
  await panel.getByRole("button", { name: "Add webhook…" }).click();
  await panel.getByLabel("URL").fill(`${base}${path}`);
  await panel.getByRole("button", { name: "Add webhook" }).click();
  await expect(panel.getByTestId("webhook-secret")).toBeVisible();

  const hook = panel.getByTestId("webhook").filter({ hasText: path });
  await hook.getByRole("button", { name: `Send test to ${base}${path}` }).click();
  const delivery = hook.getByTestId("delivery-webhook.test");
  await expect(delivery.getByText("Delivered")).toBeVisible({ timeout: 30_000 });
  // Two attempts: the 503, then the 200, each in the log.
  await expect(delivery.getByRole("cell").nth(2)).toHaveText("2");
  await delivery.getByText("Every attempt").click();
  await expect(delivery).toContainText("503 in");
  await expect(delivery).toContainText("Trying again in");
  expect(received.filter((r) => r.path === path)).toHaveLength(2);

  page.once("dialog", (dialog) => void dialog.accept());
  await hook.getByRole("button", { name: `Remove ${base}${path}` }).click();
  await expect(panel.getByText("No webhooks yet.")).toBeVisible();
});
