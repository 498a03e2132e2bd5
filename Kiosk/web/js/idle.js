// The idle lock: after `seconds` without keyboard, mouse or touch input, onLock() runs once.
// A clock check every 250 ms (rather than one long timer) also catches a machine that slept.

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart', 'input'];
const CHECK_MS = 250;

export function createIdleLock({ onLock, onCountdown }) {
  let limitMs = 0;
  let warnMs = 0;
  let last = 0;
  let timer = null;

  const activity = () => { last = Date.now(); };

  function check() {
    const left = limitMs - (Date.now() - last);
    if (left <= 0) {
      stop();
      onLock();
    } else onCountdown(left <= warnMs ? Math.ceil(left / 1000) : null);
  }

  function start(seconds) {
    stop();
    limitMs = Math.max(1, seconds) * 1000;
    // A warning in the last 20 seconds, when the delay is long enough for one to help.
    warnMs = seconds >= 60 ? 20_000 : 0;
    last = Date.now();
    for (const name of ACTIVITY) window.addEventListener(name, activity, { capture: true, passive: true });
    timer = setInterval(check, CHECK_MS);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    for (const name of ACTIVITY) window.removeEventListener(name, activity, { capture: true });
    onCountdown(null);
  }

  return { start, stop };
}
