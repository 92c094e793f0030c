"use client";

import dynamic from "next/dynamic";

// Redoc renders the OpenAPI document in the browser from the bundle the portal serves: no
// script, font or style comes from anywhere else, so the page works without internet.
const RedocStandalone = dynamic(() => import("redoc").then((m) => m.RedocStandalone), {
  ssr: false,
  loading: () => <p className="muted">Loading the API reference…</p>,
});

export function ApiReference({ spec }: { spec: object }) {
  return (
    <div className="api-reference" data-testid="api-reference">
      <RedocStandalone
        spec={spec}
        options={{
          hideDownloadButton: true,
          hideHostname: true,
          expandResponses: "200,201,202",
          jsonSampleExpandLevel: 2,
          sortTagsAlphabetically: false,
          theme: {
            colors: { primary: { main: "#2457d6" } },
            typography: { fontFamily: "ui-sans-serif, system-ui, sans-serif", headings: { fontFamily: "ui-sans-serif, system-ui, sans-serif" }, code: { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace" } },
            sidebar: { backgroundColor: "#f7f8fa" },
          },
        }}
      />
    </div>
  );
}
