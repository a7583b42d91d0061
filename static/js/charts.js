/* Strategiportalen charts: builds Chart.js charts from the configs the server passes with
   json_script. Danish number formats; baseline and target datasets drawn as dashed lines. */
(function () {
  "use strict";

  var PALETTE = ["#005a9c", "#c05600", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e00"];
  var number = new Intl.NumberFormat("da-DK", { maximumFractionDigits: 1 });

  function formatValue(value, unit) {
    if (value === null || value === undefined) {
      return "–";
    }
    if (unit === "percent") {
      return number.format(value) + "\u00a0%";
    }
    return number.format(value);
  }

  function dataset(spec, index, config) {
    var colour = PALETTE[index % PALETTE.length];
    var ds = {
      label: spec.label,
      data: spec.data,
      backgroundColor: colour,
      borderColor: colour,
      borderWidth: 2,
      spanGaps: true
    };
    if (spec.role === "baseline" || spec.role === "target") {
      ds.type = "line";
      ds.fill = false;
      ds.pointRadius = 0;
      ds.borderDash = spec.role === "baseline" ? [4, 4] : [10, 5];
      ds.borderColor = spec.role === "baseline" ? "#495057" : "#a4161a";
      ds.backgroundColor = ds.borderColor;
    } else if (config.type === "line") {
      ds.fill = false;
      ds.tension = 0.2;
    }
    return ds;
  }

  function render(config) {
    var canvas = document.getElementById(config.id);
    if (!canvas || typeof window.Chart === "undefined") {
      return null;
    }
    var unit = config.unit;
    var valueAxis = config.horizontal ? "x" : "y";
    var scales = { x: { stacked: !!config.stacked }, y: { stacked: !!config.stacked } };
    scales[valueAxis].beginAtZero = true;
    scales[valueAxis].ticks = {
      callback: function (value) { return formatValue(value, unit); }
    };
    return new window.Chart(canvas, {
      type: config.type,
      data: {
        labels: config.labels,
        datasets: config.datasets.map(function (spec, i) { return dataset(spec, i, config); })
      },
      options: {
        indexAxis: config.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: { display: config.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var raw = config.horizontal ? ctx.parsed.x : ctx.parsed.y;
                return ctx.dataset.label + ": " + formatValue(raw, unit);
              }
            }
          }
        }
      }
    });
  }

  window.PortalCharts = { render: render, formatValue: formatValue };
})();
