-- Who destroyed an environment and why; a restart asked for a component.

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN "destroyedBy" TEXT,
ADD COLUMN "destroyReason" TEXT;

-- AlterTable
ALTER TABLE "Component" ADD COLUMN "restartedAt" TIMESTAMP(3);
