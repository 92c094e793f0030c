import { otherMethods, withRoute } from "@/lib/http/with-route";
import { listImageVersions } from "@/lib/image-versions/list-image-versions";
import { imageVersionsQuerySchema } from "@/lib/image-versions/schemas";

// GET /api/v1/image-versions?repository= – the versions of an image to pick from: templates' defaults, live environments' and the registry's tags, newest first
export const GET = withRoute({ permission: "templates:read" }, async ({ query }) => listImageVersions(query(imageVersionsQuerySchema).repository));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
