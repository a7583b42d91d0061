/* Strategy grid: keyboard focus for the in-place goal editing (htmx swaps).
   - After a swap, focus the element the server marked with data-focus, or the first
     field of a freshly opened inline form, so keyboard users stay where they work.
   - Escape inside an inline form cancels it (same as the "Annullér" button).
   - A failed request is reported in the page's #grid-feedback alert (text from the
     template, so it stays translated); an expired session goes to the login page
     instead of swapping the login form into the grid. */
(function () {
  "use strict";

  function focusAfterSwap(root) {
    var form = root.matches && root.matches("form[data-inline-form]") ? root : root.querySelector("form[data-inline-form]");
    if (form) {
      var invalid = form.querySelector("[aria-invalid='true']");
      var first = invalid || form.querySelector("textarea:not([disabled]), input:not([type='hidden']):not([disabled]), select:not([disabled])");
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

  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var box = document.getElementById("grid-feedback");
    var loginPath = box && box.getAttribute("data-login-url");
    var xhr = event.detail.xhr;
    if (loginPath && xhr && xhr.responseURL && xhr.responseURL.indexOf(loginPath) !== -1) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    }
  });

  function reportFailure(event) {
    var box = document.getElementById("grid-feedback");
    if (!box) { return; }
    var xhr = event.detail.xhr;
    var status = xhr && xhr.status;
    var message = box.getAttribute(status === 403 ? "data-forbidden" : "data-failed");
    box.textContent = message + (status ? " (" + status + ")" : "");
    box.hidden = false;
  }

  document.body.addEventListener("htmx:responseError", reportFailure);
  document.body.addEventListener("htmx:sendError", reportFailure);
  document.body.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("grid-feedback");
    if (box) { box.hidden = true; }
  });
})();
