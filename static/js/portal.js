// Every page: a wide table scrolls sideways inside its `.table-responsive` box, so the page
// itself never does. A box that scrolls must be reachable with the keyboard (arrow keys
// scroll it once it has focus) and named for screen readers after its table's caption.
(function () {
  'use strict';

  function mark(box) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute('tabindex')) {
      box.tabIndex = 0;
      box.dataset.scrollFocus = 'true';
      if (!box.hasAttribute('role')) {
        const caption = box.querySelector('caption');
        const name = caption ? caption.textContent.trim() : '';
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', name || 'Tabel');
      }
    } else if (!scrolls && box.dataset.scrollFocus) {
      box.removeAttribute('tabindex');
      box.removeAttribute('role');
      box.removeAttribute('aria-label');
      delete box.dataset.scrollFocus;
    }
  }

  function markAll() {
    document.querySelectorAll('.table-responsive').forEach(mark);
  }

  let pending = null;
  function later() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(markAll);
  }

  markAll();
  window.addEventListener('resize', later);
  document.addEventListener('htmx:afterSettle', later);
  document.addEventListener('toggle', later, true);
  document.addEventListener('click', later);
})();

// Printing: collapsed sections (<details>) print open and close again afterwards, so a
// printed page holds what the reader chose to fold away on screen.
(function () {
  'use strict';
  let opened = [];
  window.addEventListener('beforeprint', function () {
    opened = Array.from(document.querySelectorAll('details:not([open])'));
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
