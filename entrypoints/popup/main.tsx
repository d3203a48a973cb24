import { render } from 'preact';

function Popup() {
  return <p>Sender Lens is ready.</p>;
}

const root = document.getElementById('app');
if (root) render(<Popup />, root);
