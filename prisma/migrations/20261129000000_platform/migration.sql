-- Desired state apart from observed state; history, data copies and jobs renamed and widened;
-- destroy's clean-up steps.

-- CreateEnum
CREATE TYPE "EnvironmentLifecycle" AS ENUM ('active', 'destroying', 'destroyed');
CREATE TYPE "EnvironmentPower" AS ENUM ('awake', 'asleep');
CREATE TYPE "EnvironmentPhase" AS ENUM ('provisioning', 'ready', 'degraded', 'updating', 'failed');
CREATE TYPE "CleanupStepStatus" AS ENUM ('pending', 'running', 'done', 'failed');

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN "lifecycle" "EnvironmentLifecycle" NOT NULL DEFAULT 'active',
ADD COLUMN "power" "EnvironmentPower" NOT NULL DEFAULT 'awake',
ADD COLUMN "phase" "EnvironmentPhase" NOT NULL DEFAULT 'provisioning',
ADD COLUMN "phaseReason" TEXT,
ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;

-- Each existing environment's two halves, from the one status it had.
UPDATE "Environment" SET
  "lifecycle" = CASE "status" WHEN 'destroying' THEN 'destroying'::"EnvironmentLifecycle" WHEN 'destroyed' THEN 'destroyed'::"EnvironmentLifecycle" ELSE 'active'::"EnvironmentLifecycle" END,
  "power" = CASE "status" WHEN 'sleeping' THEN 'asleep'::"EnvironmentPower" ELSE 'awake'::"EnvironmentPower" END,
  "phase" = CASE "status"
    WHEN 'provisioning' THEN 'provisioning'::"EnvironmentPhase"
    WHEN 'degraded' THEN 'degraded'::"EnvironmentPhase"
    WHEN 'updating' THEN 'updating'::"EnvironmentPhase"
    WHEN 'failed' THEN 'failed'::"EnvironmentPhase"
    ELSE 'ready'::"EnvironmentPhase" END,
  "phaseReason" = "statusReason";

-- Rename: "events" meant three things; these are the environment's history.
ALTER TABLE "EnvironmentEvent" RENAME TO "HistoryEntry";
ALTER TABLE "HistoryEntry" RENAME CONSTRAINT "EnvironmentEvent_pkey" TO "HistoryEntry_pkey";
ALTER TABLE "HistoryEntry" RENAME CONSTRAINT "EnvironmentEvent_environmentId_fkey" TO "HistoryEntry_environmentId_fkey";
ALTER INDEX "EnvironmentEvent_environmentId_createdAt_idx" RENAME TO "HistoryEntry_environmentId_createdAt_idx";

-- Rename: what the product calls a data copy.
ALTER TYPE "DataMigrationStatus" RENAME TO "DataCopyStatus";
ALTER TABLE "DataMigration" RENAME TO "DataCopy";
ALTER TABLE "DataCopy" RENAME CONSTRAINT "DataMigration_pkey" TO "DataCopy_pkey";
ALTER TABLE "DataCopy" RENAME CONSTRAINT "DataMigration_environmentId_fkey" TO "DataCopy_environmentId_fkey";
ALTER TABLE "DataCopy" RENAME CONSTRAINT "DataMigration_sourceId_fkey" TO "DataCopy_sourceId_fkey";
ALTER TABLE "DataCopy" RENAME CONSTRAINT "DataMigration_requestedById_fkey" TO "DataCopy_requestedById_fkey";
ALTER INDEX "DataMigration_environmentId_idx" RENAME TO "DataCopy_environmentId_idx";

-- AlterTable: the job history people read.
ALTER TABLE "Job" ADD COLUMN "cause" TEXT NOT NULL DEFAULT '',
ADD COLUMN "requestId" TEXT,
ADD COLUMN "progress" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "cancelRequestedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CleanupStep" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" "CleanupStepStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CleanupStep_pkey" PRIMARY KEY ("id")
);

-- CreateIndex: the environments list's order, newest first.
CREATE INDEX "Environment_createdAt_id_idx" ON "Environment"("createdAt" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "CleanupStep_environmentId_name_key" ON "CleanupStep"("environmentId", "name");

-- AddForeignKey
ALTER TABLE "CleanupStep" ADD CONSTRAINT "CleanupStep_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
