/** Shown instead of the app when it cannot reach Waymark at all (for example, no token). */
export function StartupError({ message }: { message: string }) {
  return (
    <main className="startup-error" role="alert">
      <h1>Waymark cannot start</h1>
      <p>{message}</p>
    </main>
  );
}
