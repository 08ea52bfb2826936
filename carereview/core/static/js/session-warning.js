// The warning before a session ends (issue 7). base.html carries a <dialog role="alertdialog">
// with how many seconds the session has left (data-seconds-left) and when to warn
// (data-warning-seconds). When the time comes, this asks the server how long is really left (another
// tab may have kept the session going), then opens the dialog, moves focus to it and counts down.
// "Stay signed in" (or Escape) POSTs to keep-alive with the page's CSRF token; at zero the page is
// loaded again and the server signs the person out with a message. No inline script or style: the
// Content Security Policy allows neither. Without JavaScript the dialog never shows and nothing else
// changes.

const dialog = document.getElementById("session-warning");

function minutesAndSeconds(total) {
  const seconds = Math.max(0, Math.ceil(total));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const parts = [];
  if (m > 0) parts.push(m === 1 ? "1 minute" : `${m} minutes`);
  if (s > 0 || m === 0) parts.push(s === 1 ? "1 second" : `${s} seconds`);
  return parts.join(" ");
}

if (dialog && typeof dialog.showModal === "function") {
  const warningSeconds = Number(dialog.dataset.warningSeconds) || 120;
  const statusUrl = dialog.dataset.keepAliveUrl;
  const stayForm = dialog.querySelector(".js-session-stay");
  const countdown = dialog.querySelector(".js-session-countdown");
  const live = dialog.querySelector(".js-session-live");
  const idleText = dialog.querySelector(".js-session-idle");
  const maxText = dialog.querySelector(".js-session-max");
  const stayButton = stayForm.querySelector("button");

  let deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  let reason = "idle";
  let warnTimer = null;
  let tickTimer = null;
  let lastAnnounced = null;
  let returnFocus = null;

  const secondsLeft = () => (deadline - Date.now()) / 1000;

  const signedOut = () => {
    // The server ends the session and shows the sign-in page with the reason.
    window.location.assign(window.location.href);
  };

  const update = (data) => {
    if (!data || data.signed_in !== true || typeof data.seconds_left !== "number") {
      signedOut();
      return false;
    }
    deadline = Date.now() + data.seconds_left * 1000;
    reason = data.reason === "max" ? "max" : "idle";
    return true;
  };

  const schedule = () => {
    window.clearTimeout(warnTimer);
    const wait = (secondsLeft() - warningSeconds) * 1000;
    warnTimer = window.setTimeout(check, Math.max(0, wait));
  };

  const announce = (left) => {
    // Screen readers hear the time at the start, then each minute and at 30 and 10 seconds; the
    // visible count changes every second.
    const marks = [120, 60, 30, 10];
    const mark = marks.find((m) => left <= m && left > m - 30);
    if (lastAnnounced === null || (mark !== undefined && mark < lastAnnounced)) {
      lastAnnounced = mark === undefined ? Math.ceil(left) : mark;
      live.textContent = `You will be signed out in ${minutesAndSeconds(left)}.`;
    }
  };

  async function expire() {
    // Time is up by this page's clock: ask the server (without extending the session), which
    // signs the person out if it agrees, or says how long is really left.
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      const type = response.headers.get("Content-Type") || "";
      if (response.ok && type.includes("application/json")) {
        const data = await response.json();
        if (data.signed_in === true && data.seconds_left > 0) {
          update(data);
          deadline += 1000;
          tickTimer = window.setInterval(tick, 1000);
          return;
        }
      }
    } catch {
      // Cannot reach the server: loading the page again shows what is what.
    }
    signedOut();
  }

  const tick = () => {
    const left = secondsLeft();
    if (left <= 0) {
      window.clearInterval(tickTimer);
      expire();
      return;
    }
    countdown.textContent = minutesAndSeconds(left);
    announce(left);
  };

  const show = () => {
    idleText.hidden = reason !== "idle";
    maxText.hidden = reason === "idle";
    // At the 12-hour limit, staying is not possible: only signing out, or waiting.
    stayForm.hidden = reason === "max";
    if (!dialog.open) {
      returnFocus = document.activeElement;
      lastAnnounced = null;
      dialog.showModal();
      dialog.focus();
    }
    tick();
    window.clearInterval(tickTimer);
    tickTimer = window.setInterval(tick, 1000);
  };

  const hide = () => {
    window.clearInterval(tickTimer);
    if (dialog.open) dialog.close();
    live.textContent = "";
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
    returnFocus = null;
  };

  async function check() {
    try {
      const response = await fetch(statusUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("application/json")) {
        signedOut();
        return;
      }
      if (!update(await response.json())) return;
    } catch {
      // Offline for a moment: go on with what the page was told.
    }
    if (secondsLeft() > warningSeconds) {
      hide();
      schedule();
    } else {
      show();
    }
  }

  async function stay() {
    stayButton.disabled = true;
    try {
      const response = await fetch(stayForm.action, {
        method: "POST",
        body: new FormData(stayForm),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      const type = response.headers.get("Content-Type") || "";
      if (!response.ok || !type.includes("application/json")) {
        signedOut();
        return;
      }
      if (!update(await response.json())) return;
      hide();
      schedule();
    } catch {
      // Could not reach the server: send the form the ordinary way.
      stayForm.submit();
    } finally {
      stayButton.disabled = false;
    }
  }

  stayForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });

  // Escape would close the dialog without a word to the server; the person is clearly there, so
  // it counts as "Stay signed in" (or, at the 12-hour limit, just keeps the warning open).
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (!stayForm.hidden) stay();
  });

  schedule();
}
