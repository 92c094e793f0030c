// @ts-check
import { CliError, EXIT } from "./exit-codes.js";

// The API addresses everything by id; people and pipelines know names. A name is looked up
// through the list's own filter (live environments: a name is unique among them, and free
// again once one is destroyed); what is not a live name is tried as an id, so a destroyed
// environment is still reachable by the id a pipeline kept.

/**
 * @param {import("./api-client.js").ApiClient} client
 * @param {string} ref a name or an id
 * @returns {Promise<string>} the id
 */
export async function environmentId(client, ref) {
  if (ref.length <= 63) {
    const page = await client.get("/api/v1/environments", { query: { q: ref, limit: 200 } });
    const match = /** @type {{ id: string, name: string }[]} */ (page.items).find((e) => e.name === ref);
    if (match) return match.id;
  }
  try {
    await client.get(`/api/v1/environments/${encodeURIComponent(ref)}`);
    return ref;
  } catch (error) {
    if (error instanceof CliError && error.status === 404) throw new CliError(EXIT.notFound, `No environment is named “${ref}” or has that id.`, { status: 404 });
    throw error;
  }
}

/**
 * A template, cluster or data source by name or id, from its list.
 * @param {import("./api-client.js").ApiClient} client
 * @param {string} path the list's path
 * @param {string} ref
 * @param {string} what for the message
 * @returns {Promise<any>}
 */
export async function fromList(client, path, ref, what) {
  const { items } = await client.get(path);
  const match = /** @type {{ id: string, name: string }[]} */ (items).find((item) => item.id === ref || item.name === ref);
  if (!match) throw new CliError(EXIT.notFound, `No ${what} is named “${ref}” or has that id.`, { status: 404 });
  return match;
}
