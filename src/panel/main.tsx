import { render } from 'preact';

function Panel() {
  return (
    <main>
      <h1>Refer to link worker</h1>
    </main>
  );
}

const root = document.getElementById('app');
if (root) render(<Panel />, root);
