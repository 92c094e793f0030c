import type { ColumnRule } from "./schemas";

// Columns whose names look personal and have no rule, flagged before a copy of a protected
// source. Names are read as words (snake_case, camelCase, kebab-case, digits apart), plus a few
// compounds written as one word (firstname, emailaddress). Any rule counts as a decision, "keep"
// included. A flag is a prompt to decide, so it leans to flagging, with these exceptions:
// - "name" alone is personal only in a table of people (users, customers…); a name qualified by
//   something else is not: table_name, file_name, product_name, and company_name too (a business,
//   not a person).
// - A word naming a fact about the data, last in the name, is not the data: email_verified,
//   phone_count, address_id (a key to another table, flagged there), vat_rate, birth_year is kept
//   (a year of birth still narrows a person down).

export interface PersonalColumn {
  table: string;
  column: string;
  why: string;
}

const WHY = {
  email: "looks like an e-mail address",
  phone: "looks like a phone number",
  name: "looks like a person's name",
  address: "looks like a postal address",
  birth: "looks like a date of birth",
  ssn: "looks like a social security number",
  bank: "looks like bank or card details",
  passport: "looks like a passport number",
  tax: "looks like a tax or VAT number",
  ip: "looks like an IP address",
  nationalId: "looks like a national identity number",
} as const;

type Category = keyof typeof WHY;

/** Single words that say what the column holds. */
const WORDS: Record<string, Category> = {
  email: "email", emails: "email", mail: "email", emailaddress: "email",
  phone: "phone", phones: "phone", mobile: "phone", tel: "phone", telephone: "phone", fax: "phone", cellphone: "phone", msisdn: "phone", phonenumber: "phone",
  firstname: "name", lastname: "name", fullname: "name", surname: "name", username: "name", displayname: "name", nickname: "name", givenname: "name", familyname: "name", middlename: "name", maidenname: "name", forename: "name",
  address: "address", addr: "address", street: "address", city: "address", zip: "address", zipcode: "address", postcode: "address", postal: "address", postalcode: "address",
  birth: "birth", dob: "birth", birthday: "birth", birthdate: "birth", dateofbirth: "birth", born: "birth",
  ssn: "ssn",
  iban: "bank", bic: "bank", swift: "bank", cvv: "bank", cvc: "bank", card: "bank", pan: "bank", creditcard: "bank",
  passport: "passport",
  vat: "tax", tin: "tax", taxid: "tax",
  ip: "ip", ipaddress: "ip", ipv4: "ip", ipv6: "ip",
};

/** Word pairs, read anywhere in the name. */
const PAIRS: Record<string, Category> = {
  "e mail": "email",
  "social security": "ssn",
  "account number": "bank", "bank account": "bank", "sort code": "bank", "routing number": "bank", "card number": "bank",
  "tax id": "tax", "tax number": "tax", "vat id": "tax", "vat number": "tax",
  "national id": "nationalId", "national insurance": "nationalId", "identity number": "nationalId", "id number": "nationalId", "personal id": "nationalId",
  "remote addr": "ip",
};

/** Words before "name" that make it a person's. */
const PERSON_NAME = new Set([
  "first", "last", "full", "middle", "given", "family", "display", "user", "nick", "maiden", "real", "legal", "sur", "fore",
  "contact", "customer", "client", "person", "member", "employee", "patient", "guardian", "parent", "holder", "cardholder",
  "recipient", "sender", "billing", "shipping", "owner", "author", "buyer", "seller", "student", "teacher", "guest",
]);

/** Tables of people, where a bare "name" column is a person's. */
const PEOPLE_TABLE = /^(users?|customers?|clients?|people|persons?|contacts?|members?|employees?|staff|patients?|students?|authors?|guests?|subscribers?|recipients?|accounts?|profiles?|leads?|candidates?|applicants?|drivers?|passengers?)$/;

/** Last words that make the column a fact about the data rather than the data. */
const FACT_SUFFIX = new Set([
  "id", "ids", "key", "ref", "count", "verified", "confirmed", "enabled", "disabled", "flag", "status", "type", "kind", "sent", "opt", "optin",
  "bounced", "valid", "validated", "at", "on", "date", "time", "rate", "amount", "total", "percent", "pct", "format", "template", "provider", "hash",
  "length", "len", "visible", "public", "private", "changed", "updated", "required",
]);

export function findUnmaskedPersonalColumns(columns: readonly { table: string; column: string }[], rules: readonly ColumnRule[]): PersonalColumn[] {
  const decided = new Set(rules.map((rule) => `${rule.table}\u0000${rule.column.toLowerCase()}`));
  const found: PersonalColumn[] = [];
  for (const { table, column } of columns) {
    if (decided.has(`${table}\u0000${column.toLowerCase()}`)) continue;
    const category = personalCategory(table, column);
    if (category) found.push({ table, column, why: WHY[category] });
  }
  return found;
}

/** What a column's name says it holds, or null when it does not look personal. */
export function personalCategory(table: string, column: string): Category | null {
  const words = nameWords(column);
  if (words.length === 0) return null;
  const joined = words.join(" ");
  // Pairs first: "national_id" and "tax_id" end in a fact word but are the data.
  for (const [pair, category] of Object.entries(PAIRS)) {
    if (` ${joined} `.includes(` ${pair} `)) return category;
  }
  const last = words[words.length - 1]!;
  if (FACT_SUFFIX.has(last) && words.length > 1) {
    if (!(last === "date" && (words.includes("birth") || words.includes("dob")))) return null;
  }
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const category = WORDS[word];
    if (category) return category;
    if (word === "name" || word === "names") {
      const before = words[i - 1];
      if (before !== undefined ? PERSON_NAME.has(before) : words.length === 1 && PEOPLE_TABLE.test(table.toLowerCase())) return "name";
    }
  }
  // Compounds written as one word: "useremail", "homephone", "billingaddress".
  const compact = words.join("");
  for (const [word, category] of COMPOUND_ENDINGS) if (compact.endsWith(word) && compact !== word) return category;
  return null;
}

const COMPOUND_ENDINGS: readonly [string, Category][] = [
  ["email", "email"], ["phone", "phone"], ["firstname", "name"], ["lastname", "name"], ["fullname", "name"],
  ["address", "address"], ["birthdate", "birth"], ["birthday", "birth"], ["zipcode", "address"], ["postcode", "address"],
];

/** "customerEmail_2" → ["customer", "email", "2"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}
