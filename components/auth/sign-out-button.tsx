export function SignOutButton() {
  return (
    <form method="post" action="/api/auth/sign-out">
      <button type="submit" className="button link light">
        Sign out
      </button>
    </form>
  );
}
