/* A goal's indicators (templates/kpis/partials.html#goal_indicators): draw each
   trajectory chart from the configs the server passes with json_script, and wire each
   chart's "Vis tabel" / "Skjul tabel" button (the same numbers as a table). */
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
    var data = document.getElementById("goal-indicator-charts");
    if (data && window.PortalCharts) {
      JSON.parse(data.textContent).forEach(function (config) {
        window.PortalCharts.render(config);
      });
    }
    document.querySelectorAll(".goal-indicator-charts .chart-table-toggle").forEach(
      function (button) {
        button.addEventListener("click", function () { toggleTable(button); });
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
