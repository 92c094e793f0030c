-- Why an environment's work waits while it keeps meeting transient failures, and when it is
-- tried next (issue 16): the reconciler and destroy retry for as long as it takes instead of
-- failing the environment, and the sweep leaves a scheduled retry alone.

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN "retryReason" TEXT,
ADD COLUMN "retryAt" TIMESTAMP(3);
