#!/bin/sh
# Stand-in for Prisma's schema engine on machines that cannot download it (see
# scripts/prisma-generate.mjs). Anything that really needs the engine stops here with a reason.
echo "Prisma's schema engine is not installed on this machine (it is downloaded from Prisma's" >&2
echo "servers, which this machine cannot reach). Apply migrations with 'npm run db:migrate'," >&2
echo "which reads prisma/migrations without the engine." >&2
exit 1
