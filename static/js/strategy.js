/* Strategy grid: keyboard focus for the in-place goal editing (htmx swaps).
   - After a swap, focus the element the server marked with data-focus, or the first
     field of a freshly opened inline form, so keyboard users stay where they work.
   - Escape inside an inline form cancels it (same as the "Annullér" button). */
(function () {
  "use strict";

  function focusAfterSwap(root) {
    var marked = root.querySelector("[data-focus]");
    if (root.matches && root.matches("[data-focus]")) { marked = root; }
    if (marked) {
      marked.removeAttribute("data-focus");
      marked.focus();
      return;
    }
    var form = root.matches && root.matches("form[data-inline-form]") ? root : root.querySelector("form[data-inline-form]");
    if (form) {
      var invalid = form.querySelector("[aria-invalid='true']");
      var first = invalid || form.querySelector("textarea, input:not([type='hidden']), select");
      if (first) { first.focus(); }
    }
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target || event.target;
    if (target && target.isConnected) {
      focusAfterSwap(target);
    } else if (event.detail.elt && event.detail.elt.isConnected) {
      focusAfterSwap(event.detail.elt);
    } else {
      var marked = document.querySelector("[data-focus]");
      if (marked) { marked.removeAttribute("data-focus"); marked.focus(); }
    }
  });

  document.body.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var form = event.target.closest && event.target.closest("form[data-inline-form]");
    if (!form) { return; }
    var cancel = form.querySelector("[data-cancel]");
    if (cancel) {
      event.preventDefault();
      cancel.click();
    }
  });
})();
