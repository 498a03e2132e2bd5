// The windows the page opens — the renewal slip (renewal.js opens it with window.open), a sheet's "Ouvrir le PDF" —
// show a person's code or sheet outside the page, where wiping the DOM does not reach. They are remembered here and
// closed when the desk is left (the idle lock, a sign-out, an expired session), so that nothing of the previous person
// stays on the kiosk's screen. A window the page opened by script may close it again (HTML's "script-closable").

export function trackOpenedWindows() {
  const opened = new Set();
  const open = window.open.bind(window);
  window.open = (...args) => {
    const opening = open(...args);
    if (opening) opened.add(opening);
    return opening;
  };
  // A link to a blob: (a PDF the page holds) in a new tab is opened through window.open, so that it is remembered too.
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a[target="_blank"][href^="blob:"]') : null;
    if (!link) return;
    event.preventDefault();
    window.open(link.href, '_blank');
  }, { capture: true });

  return {
    /** Closes every window the page opened that is still open. */
    closeAll() {
      for (const opening of opened) {
        try { opening.close(); } catch { /* already gone */ }
      }
      opened.clear();
    },
  };
}
