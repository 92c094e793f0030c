import { ApiError } from "@/lib/api-client/fetcher";

export function ErrorMessage({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : "Something went wrong. Try again.";
  return (
    <div role="alert" className="alert">
      {message}
    </div>
  );
}
