// Claim page: "y" confirms and "n" rejects the first pending repeat suggestion (the matching
// panel); "c" confirms and "r" rejects the first unreviewed known fact-check (the "checked
// elsewhere" panel). No inline scripts; the buttons are ordinary forms, so htmx (or a plain POST) does the work.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    if (document.querySelector("dialog[open]")) { return; }
    var selectors = {
      y: "#matching-panel .suggestion [data-match-action='confirm']",
      n: "#matching-panel .suggestion [data-match-action='reject']",
      c: "#factchecks-panel .factcheck-match [data-factcheck-action='confirm']",
      r: "#factchecks-panel .factcheck-match [data-factcheck-action='reject']"
    };
    if (!Object.prototype.hasOwnProperty.call(selectors, event.key)) { return; }
    var button = document.querySelector(selectors[event.key]);
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.disabled = true; // one key press, one decision (htmx swaps the panel afterwards)
    var form = button.form;
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  });
})();
