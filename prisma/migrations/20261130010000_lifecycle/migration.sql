-- Expiry, sleep, activity, notifications and cost (issue 14).

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('expiring', 'expired', 'asleep', 'destroyed_asleep');
CREATE TYPE "WebhookDeliveryState" AS ENUM ('none', 'pending', 'sent', 'failed');

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "wakerUrl" TEXT,
ADD COLUMN "ingressMetricsUrl" TEXT;

ALTER TABLE "TemplateComponent" ADD COLUMN "persistent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "startOrder" INTEGER;

ALTER TABLE "Component" ADD COLUMN "persistent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "startOrder" INTEGER;

ALTER TABLE "Environment" ADD COLUMN "pinnedBy" TEXT,
ADD COLUMN "lastActivityKind" TEXT,
ADD COLUMN "asleepSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "LifecycleSettings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "maxTtlHours" INTEGER NOT NULL DEFAULT 336,
    "warnBeforeHours" INTEGER NOT NULL DEFAULT 24,
    "idleSleepHours" INTEGER DEFAULT 3,
    "asleepDestroyHours" INTEGER DEFAULT 336,
    "cpuHourPrice" DOUBLE PRECISION NOT NULL DEFAULT 0.04,
    "memoryGibHourPrice" DOUBLE PRECISION NOT NULL DEFAULT 0.005,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "notifyWebhookSealed" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" TEXT,

    CONSTRAINT "LifecycleSettings_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "key" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "readAt" TIMESTAMP(3),
    "webhookState" "WebhookDeliveryState" NOT NULL DEFAULT 'none',
    "webhookAttempts" INTEGER NOT NULL DEFAULT 0,
    "webhookError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "UsageInterval" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "ownerId" TEXT NOT NULL,
    "templateId" TEXT,
    "power" "EnvironmentPower" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "cpu" DOUBLE PRECISION NOT NULL,
    "memoryGib" DOUBLE PRECISION NOT NULL,
    "fullCpu" DOUBLE PRECISION NOT NULL,
    "fullMemoryGib" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "UsageInterval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Environment_lifecycle_expiresAt_idx" ON "Environment"("lifecycle", "expiresAt");
CREATE UNIQUE INDEX "Notification_environmentId_kind_key_key" ON "Notification"("environmentId", "kind", "key");
CREATE INDEX "Notification_userId_createdAt_idx" ON "Notification"("userId", "createdAt");
CREATE INDEX "UsageInterval_environmentId_endedAt_idx" ON "UsageInterval"("environmentId", "endedAt");
CREATE INDEX "UsageInterval_startedAt_idx" ON "UsageInterval"("startedAt");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "UsageInterval" ADD CONSTRAINT "UsageInterval_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Environments made before this: their cost starts now, awake or asleep as they are.
INSERT INTO "UsageInterval" ("id", "environmentId", "ownerId", "templateId", "power", "startedAt", "cpu", "memoryGib", "fullCpu", "fullMemoryGib")
SELECT 'mig' || md5(e."id"), e."id", e."ownerId", e."templateId", e."power", CURRENT_TIMESTAMP, 0, 0, 0, 0
FROM "Environment" e WHERE e."lifecycle" <> 'destroyed';
