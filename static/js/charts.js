/* Strategiportalen charts: builds Chart.js charts from the configs the server passes with
   json_script. Danish number formats; baseline and target datasets drawn as dashed lines.
   Values hidden by the small-number rule arrive as null with their positions in
   `suppressed`: they are left out (no bar, no interpolated line) and marked with the label
   the server sends in `hiddenMark` (the small-number rule lives on the server only). */
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
      // Never draw a line across a hidden value: the gap is the honest picture.
      spanGaps: !(spec.suppressed && spec.suppressed.length)
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
      // Straight segments: a curve would invent values between the measured points.
      ds.tension = 0;
    }
    return ds;
  }

  /* Writes the server's hidden-value label where a hidden value would have been, so an empty
     place never reads as zero. One mark per position (stacked datasets share it). */
  function hiddenMarks(config) {
    return {
      id: "portalHiddenMarks",
      afterDatasetsDraw: function (chart) {
        var indexScale = chart.scales[config.horizontal ? "y" : "x"];
        var valueScale = chart.scales[config.horizontal ? "x" : "y"];
        if (!indexScale || !valueScale) {
          return;
        }
        var zero = valueScale.getPixelForValue(0);
        var mark = config.hiddenMark || "";
        var drawn = {};
        var ctx = chart.ctx;
        ctx.save();
        ctx.font = "11px system-ui, sans-serif";
        ctx.fillStyle = "#495057";
        ctx.textAlign = config.horizontal ? "left" : "center";
        ctx.textBaseline = config.horizontal ? "middle" : "bottom";
        config.datasets.forEach(function (spec, d) {
          if (!spec.suppressed || !chart.isDatasetVisible(d)) {
            return;
          }
          var meta = chart.getDatasetMeta(d);
          spec.suppressed.forEach(function (i) {
            var element = meta.data[i];
            var at = element ? (config.horizontal ? element.y : element.x) : NaN;
            if (!isFinite(at) || config.stacked) {
              at = indexScale.getPixelForValue(i);
            }
            var key = Math.round(at);
            if (drawn[key]) {
              return;
            }
            drawn[key] = true;
            if (config.horizontal) {
              ctx.fillText(mark, zero + 4, at);
            } else {
              ctx.fillText(mark, at, zero - 2);
            }
          });
        });
        ctx.restore();
      }
    };
  }

  function render(config) {
    var canvas = document.getElementById(config.id);
    // A withheld chart has no canvas: the page says in words that it is not shown.
    if (!canvas || config.withheld || typeof window.Chart === "undefined") {
      return null;
    }
    var unit = config.unit;
    var valueAxis = config.horizontal ? "x" : "y";
    var scales = { x: { stacked: !!config.stacked }, y: { stacked: !!config.stacked } };
    scales[valueAxis].beginAtZero = true;
    scales[valueAxis].ticks = {
      callback: function (value) { return formatValue(value, unit); }
    };
    if (unit === "count") {
      scales[valueAxis].ticks.precision = 0; // whole steps on an axis of counts
    }
    if (config.allLabels) {
      // Name every category (workplaces), never every other one.
      scales[config.horizontal ? "y" : "x"].ticks = { autoSkip: false };
    }
    return new window.Chart(canvas, {
      type: config.type,
      plugins: [hiddenMarks(config)],
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

  // A chart's "Vis tabel" / "Skjul tabel" button shows the same numbers as a table.
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

  // One page's charts: draw every config the server passed with json_script under `dataId`
  // and wire the table toggles inside `scope` (a CSS selector; the whole page by default).
  function drawPage(dataId, scope) {
    function init() {
      var data = document.getElementById(dataId);
      if (data) {
        JSON.parse(data.textContent).forEach(render);
      }
      var selector = (scope ? scope + " " : "") + ".chart-table-toggle";
      document.querySelectorAll(selector).forEach(function (button) {
        button.addEventListener("click", function () { toggleTable(button); });
      });
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }

  window.PortalCharts = { render: render, formatValue: formatValue, drawPage: drawPage };
})();
