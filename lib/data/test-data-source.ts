import "server-only";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { isDataProblem } from "./data-problem";
import { sourceEndpoint } from "./endpoints";
import { storeGateway } from "./gateway";

// A test that has not answered by then says so: the admin is waiting on the page.
const TEST_DEADLINE_MS = 10_000;

/**
 * "Test connection": connects with the stored credentials, reads what a copy would read (and,
 * for a store host, checks that it may create stores), and records the outcome on the source.
 * Answers 200 either way: a failed test is an answer, in plain words, not an error of the API.
 */
export async function testDataSource(id: string) {
  const source = await db.dataSource.findUnique({ where: { id } });
  if (!source) throw new AppError("not_found", "There is no such data source.");
  let summary: string | null = null;
  let problem: string | null = null;
  try {
    summary = await storeGateway(source.kind).test(sourceEndpoint(source), { needWrite: source.storeHost, signal: AbortSignal.timeout(TEST_DEADLINE_MS) });
  } catch (error) {
    if (isDataProblem(error)) problem = error.message;
    else if ((error as Error).name === "TimeoutError") problem = `no answer within ${TEST_DEADLINE_MS / 1000} s`;
    else if ((error as Error).name === "SecretKeyError") problem = (error as Error).message;
    else throw error;
  }
  await db.dataSource.update({ where: { id }, data: { testedAt: new Date(), testProblem: problem } });
  return { id, name: source.name, ok: problem === null, summary, problem };
}
