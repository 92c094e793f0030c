import { redirect } from "next/navigation";
import { LocalSignInForm } from "@/components/auth/local-sign-in-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { safeReturnTo } from "@/lib/auth/return-to";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { config } from "@/lib/config";

export const metadata = { title: "Sign in · Corral" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const returnTo = safeReturnTo(params.returnTo);
  if (await getCurrentUser()) redirect(returnTo);
  const c = config();
  const error = signInErrorMessage(params.error);
  return (
    <main className="sign-in">
      <h1>
        <span aria-hidden>◎</span> Corral
      </h1>
      <p className="muted">Disposable environments, on demand.</p>
      {error ? (
        <div role="alert" className="alert">
          {error}
        </div>
      ) : null}
      {c.OIDC_ISSUER ? (
        <a className="button primary wide" href={`/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`}>
          Sign in with {c.OIDC_PROVIDER_NAME}
        </a>
      ) : null}
      {c.CORRAL_LOCAL_SIGNIN ? (
        <section className="local-sign-in">
          <p className="banner">Local sign-in is on: anyone can sign in as anyone. For trying Corral out only.</p>
          <LocalSignInForm returnTo={returnTo} />
        </section>
      ) : null}
    </main>
  );
}
