import Link from "next/link";

export default function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is nothing here. <Link href="/environments">Back to environments</Link>
      </p>
    </section>
  );
}
