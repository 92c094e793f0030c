import { describe, expect, it } from "vitest";
import { findUnmaskedPersonalColumns, nameWords } from "./personal-columns";

const flag = (table: string, column: string) => findUnmaskedPersonalColumns([{ table, column }], [])[0]?.why ?? null;

describe("findUnmaskedPersonalColumns", () => {
  it.each([
    ["users", "email", "looks like an e-mail address"],
    ["orders", "customerEmail", "looks like an e-mail address"],
    ["users", "e_mail", "looks like an e-mail address"],
    ["users", "useremail", "looks like an e-mail address"],
    ["users", "mobile_phone", "looks like a phone number"],
    ["contacts", "fax", "looks like a phone number"],
    ["users", "first_name", "looks like a person's name"],
    ["users", "lastName", "looks like a person's name"],
    ["users", "surname", "looks like a person's name"],
    ["accounts", "username", "looks like a person's name"],
    ["users", "display_name", "looks like a person's name"],
    ["customers", "name", "looks like a person's name"],
    ["orders", "shipping_address_line_1", "looks like a postal address"],
    ["orders", "zip", "looks like a postal address"],
    ["users", "date_of_birth", "looks like a date of birth"],
    ["users", "birth_date", "looks like a date of birth"],
    ["users", "dob", "looks like a date of birth"],
    ["employees", "ssn", "looks like a social security number"],
    ["employees", "social_security_number", "looks like a social security number"],
    ["payouts", "iban", "looks like bank or card details"],
    ["payments", "credit_card_number", "looks like bank or card details"],
    ["payments", "account_number", "looks like bank or card details"],
    ["travellers", "passport_no", "looks like a passport number"],
    ["companies", "vat_number", "looks like a tax or VAT number"],
    ["users", "tax_id", "looks like a tax or VAT number"],
    ["logins", "ip_address", "looks like an IP address"],
    ["logins", "last_login_ip", "looks like an IP address"],
    ["citizens", "national_id", "looks like a national identity number"],
  ])("flags %s.%s", (table, column, why) => {
    expect(flag(table, column)).toBe(why);
  });

  it.each([
    ["products", "name"],
    ["products", "product_name"],
    ["companies", "company_name"],
    ["meta", "table_name"],
    ["uploads", "file_name"],
    ["meta", "column_name"],
    ["users", "email_verified_at"],
    ["users", "email_verified"],
    ["orders", "address_id"],
    ["invoices", "vat_rate"],
    ["users", "created_at"],
    ["orders", "total"],
    ["hotels", "stars"],
    ["tips", "description"],
  ])("does not flag %s.%s", (table, column) => {
    expect(flag(table, column)).toBeNull();
  });

  it("counts any rule, keep included, as a decision", () => {
    const columns = [
      { table: "users", column: "email" },
      { table: "users", column: "phone" },
      { table: "orders", column: "email" },
    ];
    const found = findUnmaskedPersonalColumns(columns, [
      { table: "users", column: "EMAIL", kind: "email" },
      { table: "users", column: "phone", kind: "keep" },
    ]);
    expect(found).toEqual([{ table: "orders", column: "email", why: "looks like an e-mail address" }]);
  });
});

describe("nameWords", () => {
  it("reads snake_case, camelCase, kebab-case and digits", () => {
    expect(nameWords("customerEmail_2")).toEqual(["customer", "email", "2"]);
    expect(nameWords("IPAddress")).toEqual(["ip", "address"]);
    expect(nameWords("address-line1")).toEqual(["address", "line", "1"]);
  });
});
