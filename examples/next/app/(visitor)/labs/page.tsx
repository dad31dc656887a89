export default function Labs() {
  return (
    <main>
      <h1 id="labs">Labs</h1>
      <p>proxy.ts let you in: the labs flag is on for your company.</p>
    </main>
  );
}
