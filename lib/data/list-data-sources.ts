import "server-only";
import { db } from "@/lib/db/client";
import { dataSourceSelect, toDataSourceSummary, withoutSecret } from "./data-source-dto";

/** Every data source with its connection details (not its secret): for admins. */
export async function listDataSources() {
  const rows = await db.dataSource.findMany({ orderBy: [{ kind: "asc" }, { name: "asc" }], select: { ...dataSourceSelect, secretEncrypted: true } });
  return { items: rows.map(withoutSecret) };
}

/** The sources one may copy from (not store hosts), with nothing to connect with: for everyone. */
export async function listCopySources() {
  const rows = await db.dataSource.findMany({ where: { storeHost: false }, orderBy: [{ kind: "asc" }, { name: "asc" }], select: { id: true, name: true, kind: true, description: true, protected: true } });
  return { items: rows.map(toDataSourceSummary) };
}

export async function getDataSource(id: string) {
  const row = await db.dataSource.findUnique({ where: { id }, select: { ...dataSourceSelect, secretEncrypted: true } });
  return row ? withoutSecret(row) : null;
}

export type DataSourceList = Awaited<ReturnType<typeof listDataSources>>;
export type CopySourceList = Awaited<ReturnType<typeof listCopySources>>;
