-- Data sources, environments' stores and copies (issue 13). The earlier DataSource and DataCopy
-- tables were placeholders no code wrote to: they are made anew in their real shape.

-- DropTable
DROP TABLE "DataCopy";
DROP TABLE "DataSource";

-- CreateEnum
CREATE TYPE "StoreStatus" AS ENUM ('pending', 'ready', 'failed', 'deleting');

-- AlterTable
ALTER TABLE "Template" ADD COLUMN "dataStores" "DataSourceKind"[] DEFAULT ARRAY[]::"DataSourceKind"[];

-- CreateTable
CREATE TABLE "DataSource" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DataSourceKind" NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "protected" BOOLEAN NOT NULL DEFAULT true,
    "storeHost" BOOLEAN NOT NULL DEFAULT false,
    "host" TEXT,
    "port" INTEGER,
    "endpoint" TEXT,
    "region" TEXT,
    "username" TEXT,
    "secretEncrypted" TEXT,
    "database" TEXT,
    "redisDb" INTEGER,
    "bucket" TEXT,
    "prefix" TEXT NOT NULL DEFAULT '',
    "tls" BOOLEAN NOT NULL DEFAULT false,
    "maskingRules" JSONB NOT NULL DEFAULT '{"columns":[],"redis":[]}',
    "testedAt" TIMESTAMP(3),
    "testProblem" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DataSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EnvironmentStore" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "kind" "DataSourceKind" NOT NULL,
    "hostId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT,
    "secretEncrypted" TEXT,
    "status" "StoreStatus" NOT NULL DEFAULT 'pending',
    "reason" TEXT,
    "incomplete" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EnvironmentStore_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataCopy" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "kind" "DataSourceKind" NOT NULL,
    "sourceId" TEXT,
    "sourceEnvironmentId" TEXT,
    "requestedById" TEXT NOT NULL,
    "status" "DataCopyStatus" NOT NULL DEFAULT 'pending',
    "masked" BOOLEAN NOT NULL DEFAULT false,
    "options" JSONB NOT NULL DEFAULT '{}',
    "progress" JSONB NOT NULL DEFAULT '{}',
    "verification" JSONB,
    "error" TEXT,
    "jobId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DataCopy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstallationSecret" (
    "name" TEXT NOT NULL,
    "valueEncrypted" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InstallationSecret_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "DataSource_name_key" ON "DataSource"("name");

-- CreateIndex
CREATE INDEX "EnvironmentStore_hostId_idx" ON "EnvironmentStore"("hostId");

-- CreateIndex
CREATE UNIQUE INDEX "EnvironmentStore_environmentId_kind_key" ON "EnvironmentStore"("environmentId", "kind");

-- CreateIndex
CREATE INDEX "DataCopy_environmentId_createdAt_idx" ON "DataCopy"("environmentId", "createdAt");

-- CreateIndex
CREATE INDEX "DataCopy_sourceEnvironmentId_idx" ON "DataCopy"("sourceEnvironmentId");

-- AddForeignKey
ALTER TABLE "EnvironmentStore" ADD CONSTRAINT "EnvironmentStore_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EnvironmentStore" ADD CONSTRAINT "EnvironmentStore_hostId_fkey" FOREIGN KEY ("hostId") REFERENCES "DataSource"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataCopy" ADD CONSTRAINT "DataCopy_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataCopy" ADD CONSTRAINT "DataCopy_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "DataSource"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataCopy" ADD CONSTRAINT "DataCopy_sourceEnvironmentId_fkey" FOREIGN KEY ("sourceEnvironmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DataCopy" ADD CONSTRAINT "DataCopy_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
