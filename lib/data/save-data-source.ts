import "server-only";
import { db } from "@/lib/db/client";
import { isRecordMissing, isUniqueViolation } from "@/lib/db/prisma-errors";
import { AppError } from "@/lib/errors";
import { SecretKeyError } from "@/lib/secrets/secret-box";
import { secretBox } from "@/lib/secrets/secrets";
import { dataSourceSelect, withoutSecret } from "./data-source-dto";
import type { DataSourceInput } from "./schemas";

export const dataSourceSecretPurpose = (id: string) => `data-source:${id}`;

/**
 * Creates (no id) or updates a data source. The secret is sealed with the source's id bound in;
 * on an update an absent secret keeps the stored one, an empty one removes it. A source that
 * holds environments' stores cannot stop being a store host or change where it points.
 */
export async function saveDataSource(id: string | null, input: DataSourceInput) {
  const { secret, ...fields } = input;
  try {
    const row = await db.$transaction(
      async (tx) => {
        if (id) {
          const before = await tx.dataSource.findUnique({ where: { id }, select: { kind: true, host: true, port: true, endpoint: true, bucket: true, storeHost: true, _count: { select: { stores: true } } } });
          if (!before) throw new AppError("not_found", "There is no such data source.");
          if (before.kind !== fields.kind) throw new AppError("invalid_input", "Some fields are not valid.", { kind: ["The kind of a data source cannot change; add a new one."] });
          const moved = before.host !== fields.host || before.port !== fields.port || before.endpoint !== fields.endpoint || before.bucket !== fields.bucket || !fields.storeHost;
          if (before._count.stores > 0 && before.storeHost && moved) {
            throw new AppError("conflict", `This store host holds ${before._count.stores} environment store${before._count.stores === 1 ? "" : "s"}: its address and role cannot change until they are destroyed.`);
          }
        }
        const saved = id ? await tx.dataSource.update({ where: { id }, data: fields, select: { id: true } }) : await tx.dataSource.create({ data: fields, select: { id: true } });
        if (secret !== undefined && secret !== null) {
          await tx.dataSource.update({ where: { id: saved.id }, data: { secretEncrypted: secret === "" ? null : secretBox().seal(secret, dataSourceSecretPurpose(saved.id)) } });
        }
        // A changed address or secret makes the last test's outcome stale.
        await tx.dataSource.update({ where: { id: saved.id }, data: { testedAt: null, testProblem: null } });
        return tx.dataSource.findUniqueOrThrow({ where: { id: saved.id }, select: { ...dataSourceSelect, secretEncrypted: true } });
      },
      { timeout: 5_000 },
    );
    return withoutSecret(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict", `A data source named “${input.name}” already exists.`, { name: [`“${input.name}” is taken; choose another name.`] });
    if (isRecordMissing(error)) throw new AppError("not_found", "There is no such data source.");
    if (error instanceof SecretKeyError) throw new AppError("unavailable", `Corral cannot store the secret: ${error.message}.`, undefined, { cause: error });
    throw error;
  }
}
