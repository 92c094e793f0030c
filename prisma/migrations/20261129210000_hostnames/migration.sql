-- Route 53 hostnames: each cluster's zone and how its ingress is reached; hostnames' state.

-- AlterEnum
ALTER TYPE "HostnameStatus" ADD VALUE 'conflict';

-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "dnsDomain" TEXT,
ADD COLUMN "dnsZoneId" TEXT,
ADD COLUMN "urlPort" INTEGER,
ADD COLUMN "urlScheme" TEXT NOT NULL DEFAULT 'https';

-- AlterTable
-- Where a name points is the cluster's ingress target, read when records are written.
ALTER TABLE "Hostname" DROP COLUMN "recordType",
DROP COLUMN "target",
ADD COLUMN "changeId" TEXT,
ADD COLUMN "custom" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "reason" TEXT;

-- CreateIndex
CREATE INDEX "Hostname_environmentId_idx" ON "Hostname"("environmentId");
