import { Suspense } from "react";
import { LogViewer } from "@/components/logs/log-viewer";

export const metadata = { title: "Logs · Corral" };

export default async function LogsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <Suspense>
      <LogViewer environmentId={id} />
    </Suspense>
  );
}
