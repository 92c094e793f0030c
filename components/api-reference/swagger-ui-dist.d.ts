// swagger-ui-dist ships no types; what the API reference page uses of its prebuilt bundle.
declare module "swagger-ui-dist/swagger-ui-es-bundle" {
  interface SwaggerUIOptions {
    domNode: HTMLElement;
    spec: object;
    docExpansion?: "list" | "full" | "none";
    deepLinking?: boolean;
    filter?: boolean | string;
    showExtensions?: boolean;
    defaultModelsExpandDepth?: number;
    displayRequestDuration?: boolean;
    validatorUrl?: string | null;
  }
  const SwaggerUIBundle: (options: SwaggerUIOptions) => unknown;
  export default SwaggerUIBundle;
}
