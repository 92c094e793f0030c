import { lifecycleForecast } from "@/lib/lifecycle/overview";
import { forecastQuerySchema } from "@/lib/lifecycle/schemas";
import { otherMethods, withRoute } from "@/lib/http/with-route";

// GET /api/v1/lifecycle/forecast?hours=24 – a dry run: what expiry and sleep will do in the next hours
export const GET = withRoute({ permission: "environments:read" }, async ({ query }) => lifecycleForecast(query(forecastQuerySchema).hours));

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
