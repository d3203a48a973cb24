import { render } from 'preact';

function Options() {
  return (
    <main>
      <h1>Sender Lens</h1>
      <p>Connect HighLevel and Twilio to see the sender before you send.</p>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Options />, root);
