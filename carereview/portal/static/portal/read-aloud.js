// "Read this to me" on the under-8 consultation form (portal, issue 5): reads the question and the
// choices aloud with the browser's own speech synthesis. A file, not an inline script, so a strict
// Content Security Policy allows it. The button's wrapper starts hidden and is shown only when the
// browser can speak, so without JavaScript (or speech) the page simply works without it.
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;

  // The words to read, in page order: every element marked data-read-aloud-text.
  function words() {
    var parts = [];
    var elements = document.querySelectorAll("[data-read-aloud-text]");
    for (var i = 0; i < elements.length; i++) {
      var text = (elements[i].textContent || "").replace(/\s+/g, " ").trim();
      if (text) {
        parts.push(text);
      }
    }
    return parts.join(". ");
  }

  var controls = document.querySelectorAll("[data-read-aloud-control]");
  for (var i = 0; i < controls.length; i++) {
    (function (control) {
      var button = control.querySelector("button");
      if (!button) {
        return;
      }
      var readLabel = button.textContent;
      var stopLabel = button.getAttribute("data-stop-label") || "Stop reading";

      function reset() {
        button.textContent = readLabel;
      }

      button.addEventListener("click", function () {
        if (synth.speaking || synth.pending) {
          synth.cancel();
          reset();
          return;
        }
        var utterance = new window.SpeechSynthesisUtterance(words());
        utterance.lang = "en-GB";
        utterance.rate = 0.9;
        utterance.onend = reset;
        utterance.onerror = reset;
        button.textContent = stopLabel;
        synth.speak(utterance);
      });
      control.hidden = false;
    })(controls[i]);
  }

  // Stop talking when the child leaves the page.
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
})();
