import { expect, test } from "./support/fixtures";

test("the API reference opens from the top bar and renders the document from Corral alone, under the portal's CSP", async ({ page, baseURL }) => {
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

  // Swagger UI's rendering of the document: the operations by tag, folded; one opened shows
  // the permission it needs in words, its body's fields and its answers' statuses.
  const create = reference.locator("#operations-environments-postEnvironments");
  // Swagger UI resolves the whole document first: seconds on a busy machine.
  await expect(create.getByText("Create an environment")).toBeVisible({ timeout: 30_000 });
  await create.getByText("Create an environment").click();
  await expect(create.getByText(/Needs the permission environments:create/)).toBeVisible();
  await expect(create.getByText("x-permission")).toBeVisible();
  for (const status of ["202", "400", "401", "403", "409", "413", "429"]) {
    await expect(create.locator(`tr.response[data-code="${status}"]`)).toHaveCount(1);
  }

  // The filter narrows the list to a tag.
  await reference.getByPlaceholder(/filter/i).fill("data-sources");
  await expect(reference.getByText("Register a data source")).toBeVisible();
  await expect(reference.getByText("Create an environment")).toHaveCount(0);

  // The page is the portal's, with its CSP; the document it shows is the one served for tools.
  const response = await page.request.get("/api-reference");
  expect(response.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-/);
  const served = await page.request.get("/api/v1/openapi.json");
  expect(((await served.json()) as { openapi: string }).openapi).toBe("3.1.0");

  // Nothing was fetched from anywhere but Corral, and the CSP refused nothing.
  expect(elsewhere).toEqual([]);
  expect(refused).toEqual([]);
});
