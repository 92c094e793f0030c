import { describe, expect, it } from "vitest";
import { dataSourceInputSchema } from "@/lib/data/schemas";
import { emptyDataSourceDraft, toDataSourceRequest } from "./data-source-draft";

describe("toDataSourceRequest", () => {
  it("sends a typed secret, none on an edit left blank, and an empty one to remove it", () => {
    const draft = { ...emptyDataSourceDraft(), name: "orders", host: "db.internal", username: "reader", database: "orders" };
    expect(toDataSourceRequest({ ...draft, secret: "s3cret" }, true).secret).toBe("s3cret");
    expect("secret" in toDataSourceRequest(draft, true)).toBe(false);
    expect(toDataSourceRequest({ ...draft, clearSecret: true }, true).secret).toBe("");
    expect(toDataSourceRequest(draft, false).secret).toBeNull();
  });

  it("leaves out the fields of the other kinds, so a switched kind still passes the API's check", () => {
    const draft = { ...emptyDataSourceDraft("s3"), name: "exports", host: "left.over", port: "3306", bucket: "acme-exports", username: "AKIA", prefix: "daily/" };
    const request = toDataSourceRequest(draft, false);
    expect(request).toMatchObject({ host: null, port: null, bucket: "acme-exports" });
    expect(dataSourceInputSchema.safeParse(request).success).toBe(true);
  });

  it("turns a port that is not a number into the API's own message", () => {
    const draft = { ...emptyDataSourceDraft("redis"), name: "cache", host: "cache.internal", port: "six" };
    const checked = dataSourceInputSchema.safeParse(toDataSourceRequest(draft, false));
    expect(checked.success).toBe(false);
    expect(checked.error?.issues.find((i) => i.path[0] === "port")?.message).toBe("Port is a whole number from 1 to 65535.");
  });
});
