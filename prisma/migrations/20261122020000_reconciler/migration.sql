-- AlterTable
ALTER TABLE "Component" ADD COLUMN     "previousDigest" TEXT,
ADD COLUMN     "previousRepository" TEXT,
ADD COLUMN     "previousTag" TEXT;

-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "appliedAt" TIMESTAMP(3),
ADD COLUMN     "appliedGeneration" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "desiredGeneration" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "observed" JSONB NOT NULL DEFAULT '{}';
