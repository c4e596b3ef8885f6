// Keyboard shortcuts and small helpers for the reviewer workspace. No inline scripts: this file
// is the only script of ours (the Content-Security-Policy allows scripts from our origin only).
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function rows() { return Array.prototype.slice.call(document.querySelectorAll(".queue-row")); }

  function current() { return document.querySelector(".queue-row.is-current"); }

  function setCurrent(row) {
    rows().forEach(function (r) { r.classList.remove("is-current"); r.removeAttribute("aria-current"); });
    if (!row) { return; }
    row.classList.add("is-current");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
    var link = row.querySelector("a");
    if (link) { link.focus({ preventScroll: true }); }
    try { sessionStorage.setItem("ct-current-row", row.dataset.claimId || ""); } catch (e) { /* private mode */ }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var i = all.indexOf(current());
    var next = i < 0 ? 0 : Math.min(Math.max(i + step, 0), all.length - 1);
    setCurrent(all[next]);
  }

  // The queue shown again after an invalid post stands at the form's address; it says which
  // queue address it shows (data-queue-url) until htmx pushes a real one.
  function here() {
    var layout = document.querySelector("[data-queue-url]");
    if (layout && window.location.pathname !== layout.dataset.queuePath) {
      return layout.dataset.queueUrl;
    }
    return window.location.pathname + window.location.search;
  }

  function dismissRow(row) {
    var dialog = document.getElementById("dismiss-dialog");
    var form = document.getElementById("dismiss-dialog-form");
    if (!dialog || !form || !row.dataset.dismissUrl) { return; }
    form.action = row.dataset.dismissUrl;
    form.querySelector("[name=next]").value = here();
    dialog.showModal();
    document.getElementById("dismiss-dialog-reason").focus();
  }

  function assignRow(row) {
    var form = document.getElementById("assign-me-form");
    if (!form || !row.dataset.assignUrl) { return; }
    form.action = row.dataset.assignUrl;
    form.querySelector("[name=next]").value = here();
    form.submit();
  }

  document.addEventListener("keydown", function (event) {
    var open = document.querySelector("dialog[open]");
    if (open) {
      // Enter on the reason list confirms (a select does not submit its form by itself).
      if (event.key === "Enter" && event.target.tagName === "SELECT") {
        var dialogForm = event.target.closest("form");
        if (dialogForm) { dialogForm.requestSubmit(); event.preventDefault(); }
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var row = current();
    switch (event.key) {
      case "j": move(1); event.preventDefault(); break;
      case "k": move(-1); event.preventDefault(); break;
      case "Enter":
        if (row && row.dataset.href && document.activeElement && !/^(BUTTON)$/.test(document.activeElement.tagName)) {
          window.location.href = row.dataset.href; event.preventDefault();
        }
        break;
      case "d": if (row) { dismissRow(row); event.preventDefault(); } break;
      case "a": if (row) { assignRow(row); event.preventDefault(); } break;
      case "x":
        if (row) {
          var box = row.querySelector("input[type=checkbox]");
          if (box) { box.checked = !box.checked; }
          event.preventDefault();
        }
        break;
      case "/":
        var search = document.getElementById("id_q");
        if (search) { search.focus(); event.preventDefault(); }
        break;
      default: break;
    }
  });

  document.addEventListener("click", function (event) {
    var t = event.target;
    if (t.matches("[data-close-dialog]")) {
      var dialog = t.closest("dialog");
      if (dialog) { dialog.close(); }
    }
    if (t.id === "select-all") {
      rows().forEach(function (r) {
        var box = r.querySelector("input[type=checkbox]");
        if (box) { box.checked = t.checked; }
      });
    }
    var row = t.closest && t.closest(".queue-row");
    if (row && t.tagName !== "A" && t.tagName !== "INPUT") { setCurrent(row); }
  });

  // Saved filters and row actions use the URL as it is now (htmx may have changed it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var query = form.querySelector("#saved-filter-query");
    if (query) { query.value = (here().split("?")[1] || ""); }
    var next = form.id === "bulk-form" ? form.querySelector("[name=next]") : null;
    if (next) { next.value = here(); }
  });

  function restore() {
    var id = null;
    try { id = sessionStorage.getItem("ct-current-row"); } catch (e) { id = null; }
    var row = id ? document.querySelector('.queue-row[data-claim-id="' + id + '"]') : null;
    if (row) { setCurrent(row); }
  }

  document.addEventListener("DOMContentLoaded", restore);
  document.addEventListener("htmx:afterSwap", restore);
})();
