-- Route 53 hostnames: each cluster's zone and how its ingress is reached; hostnames' state.

-- AlterEnum
ALTER TYPE "HostnameStatus" ADD VALUE 'conflict';

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "dnsDomain" TEXT,
ADD COLUMN "dnsZoneId" TEXT,
ADD COLUMN "urlPort" INTEGER,
ADD COLUMN "urlScheme" TEXT NOT NULL DEFAULT 'https';

-- AlterTable
ALTER TABLE "Hostname" ADD COLUMN "changeId" TEXT,
ADD COLUMN "custom" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "reason" TEXT;

-- CreateIndex
CREATE INDEX "Hostname_environmentId_idx" ON "Hostname"("environmentId");
