/* Dashboard pages: draw every chart and wire the "Vis tabel" / "Skjul tabel" toggles. */
(function () {
  "use strict";

  function toggleTable(button) {
    var table = document.getElementById(button.getAttribute("aria-controls"));
    if (!table) {
      return;
    }
    var expanded = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", expanded ? "false" : "true");
    button.textContent = expanded ? button.dataset.showLabel : button.dataset.hideLabel;
    table.hidden = expanded;
  }

  function init() {
    var data = document.getElementById("dashboard-charts");
    if (data && window.PortalCharts) {
      JSON.parse(data.textContent).forEach(function (config) {
        window.PortalCharts.render(config);
      });
    }
    document.querySelectorAll(".chart-table-toggle").forEach(function (button) {
      button.addEventListener("click", function () { toggleTable(button); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
