/** The switcher's keyboard shortcut, and where each browser lets the user change it. */
export function ShortcutSection() {
  return (
    <section class="card" aria-labelledby="shortcut-heading">
      <h2 id="shortcut-heading">Keyboard shortcut</h2>
      <p class="lead">
        <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>7</kbd> opens the number switcher on a HighLevel
        conversation; Escape closes it and puts you back in the message box.
      </p>
      <p>
        To change the key, or to set one if your browser left it unset: in Chrome or Edge, open{' '}
        <code>chrome://extensions/shortcuts</code>; in Firefox, open <code>about:addons</code>, then
        the gear menu and "Manage Extension Shortcuts".
      </p>
    </section>
  );
}
