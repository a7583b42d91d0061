/* Strategy grid: keyboard focus for the in-place goal editing (htmx swaps).
   - After a swap, focus the element the server marked with data-focus, or the first
     field of a freshly opened inline form, so keyboard users stay where they work.
   - Escape inside an inline form cancels it (same as the "Annullér" button). */
(function () {
  "use strict";

  function focusAfterSwap(root) {
    var form = root.matches && root.matches("form[data-inline-form]") ? root : root.querySelector("form[data-inline-form]");
    if (form) {
      var invalid = form.querySelector("[aria-invalid='true']");
      var first = invalid || form.querySelector("textarea, input:not([type='hidden']), select");
      if (first) { first.focus(); }
    }
  }

  document.body.addEventListener("htmx:afterSettle", function (event) {
    var marked = document.querySelector("[data-focus]");
    if (marked) {
      marked.removeAttribute("data-focus");
      marked.focus();
      return;
    }
    // htmx fires afterSettle on the newly swapped-in element (event.target); with an
    // outerHTML swap, detail.target is the element that was replaced.
    var root = event.target;
    if (root && root.isConnected && root.querySelector) { focusAfterSwap(root); }
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
