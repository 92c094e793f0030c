import { ApiReference } from "@/components/api-reference/api-reference";
import { openApiDocument } from "@/lib/openapi/document";

export const metadata = { title: "API reference · Corral" };

export default function ApiReferencePage() {
  return (
    <>
      <div className="page-head">
        <h1>API reference</h1>
        <a className="button" href="/api/v1/openapi.json" download="corral-openapi.json">
          OpenAPI document
        </a>
      </div>
      <p className="muted">
        Everything this portal does, a pipeline can do with an API token (<code>Authorization: Bearer crl_…</code>, made on the{" "}
        <a href="/tokens">API tokens</a> page). The same document is at <code>/api/v1/openapi.json</code> for code generators.
      </p>
      <ApiReference spec={openApiDocument()} />
    </>
  );
}
