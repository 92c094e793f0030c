"use client";

import { useEffect, useRef, useState } from "react";
import "swagger-ui-dist/swagger-ui.css";

/**
 * Swagger UI renders the OpenAPI document in the browser from the bundle the portal serves: no
 * script, font or style comes from anywhere else, so the page works without internet.
 * Operations stay folded until opened, so the page is quick however long the API grows; "Try
 * it out" calls the API as the signed-in person.
 *
 * swagger-ui-dist's prebuilt bundle rather than swagger-ui-react: Turbopack breaks the OpenAPI
 * 3.1 resolver inside swagger-ui-react ("refract is not a function", vercel/next.js#86507).
 */
export function ApiReference({ spec }: { spec: object }) {
  const mount = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<"loading" | "shown" | string>("loading");

  useEffect(() => {
    let cancelled = false;
    import("swagger-ui-dist/swagger-ui-es-bundle")
      .then(({ default: SwaggerUIBundle }) => {
        if (cancelled || !mount.current) return;
        SwaggerUIBundle({
          domNode: mount.current,
          spec,
          docExpansion: "list",
          deepLinking: true,
          filter: true,
          showExtensions: true,
          defaultModelsExpandDepth: 0,
          displayRequestDuration: true,
          // Never ask a validator on the internet about the document.
          validatorUrl: null,
        });
        setState("shown");
      })
      .catch((error: unknown) => setState(`The API reference could not be shown: ${String(error)}`));
    return () => {
      cancelled = true;
    };
  }, [spec]);

  return (
    <div className="api-reference" data-testid="api-reference">
      {state === "loading" ? <p className="muted">Loading the API reference…</p> : state === "shown" ? null : <p role="alert">{state}</p>}
      {/* Swagger UI's own React tree lives here: nothing of this component's goes inside. */}
      <div ref={mount} />
    </div>
  );
}
