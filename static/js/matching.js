// Claim page: "y" confirms and "n" rejects the first pending repeat suggestion (the matching
// panel). No inline scripts; the buttons are ordinary forms, so htmx (or a plain POST) does the work.
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    if (document.querySelector("dialog[open]")) { return; }
    var action = event.key === "y" ? "confirm" : event.key === "n" ? "reject" : null;
    if (!action) { return; }
    var button = document.querySelector(
      "#matching-panel .suggestion [data-match-action='" + action + "']"
    );
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.disabled = true; // one key press, one decision (htmx swaps the panel afterwards)
    var form = button.form;
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  });
})();
