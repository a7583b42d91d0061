/* A goal's indicators (templates/kpis/partials.html#goal_indicators): draw each
   trajectory chart from the configs the server passes with json_script. The numbers are
   also in the table under each chart ("Vis tallene som tabel"). */
(function () {
  "use strict";

  function init() {
    var data = document.getElementById("goal-indicator-charts");
    if (!data || !window.PortalCharts) {
      return;
    }
    JSON.parse(data.textContent).forEach(function (config) {
      window.PortalCharts.render(config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
