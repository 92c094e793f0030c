import { expect, test } from "./support/fixtures";

test("the API reference opens from the top bar, renders every part of the document from Corral alone, and finds an operation", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  const refused: string[] = [];
  page.on("request", (request) => {
    if (!/^(data|blob):/.test(request.url()) && new URL(request.url()).origin !== origin) elsewhere.push(request.url());
  });
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) refused.push(message.text());
  });

  await page.goto("/environments");
  await page.getByRole("navigation").getByRole("link", { name: "API", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  const reference = page.getByTestId("api-reference");
  // Redoc's own rendering of the document: an operation with its permission in words, and a response schema.
  await expect(reference.getByRole("heading", { name: "Create an environment" })).toBeVisible();
  await expect(reference.getByText("Needs the permission environments:create").first()).toBeAttached();
  await expect(reference.getByText("allowedActions").first()).toBeAttached();

  await reference.getByPlaceholder("Search...").fill("hand");
  await expect(reference.getByRole("menuitem", { name: /Hand an environment over/ }).or(reference.getByText("Hand an environment over").first())).toBeVisible();

  // The document the page shows is the one served for tools.
  const served = await page.request.get("/api/v1/openapi.json");
  expect(served.status()).toBe(200);
  expect(((await served.json()) as { openapi: string }).openapi).toBe("3.1.0");

  expect(elsewhere).toEqual([]);
  expect(refused).toEqual([]);
});
