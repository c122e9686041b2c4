/* Zone dashboard: draw a Chart.js chart above every table marked with data-chart.
 *
 * The tables are the source of the numbers (and stay on the page: accessible and working without
 * JavaScript); this only adds a picture of them. <table data-chart="bar|doughnut"
 * data-chart-label="..." [data-chart-horizontal="1"]>, one <tr> per bar: <th> label, <td> number.
 */
(function () {
  "use strict";

  var PALETTE = ["#398712", "#1565c0", "#f9a825", "#6a1b9a", "#c62828", "#00838f", "#6d4c41",
                 "#546e7a", "#ad1457", "#2e7d32"];

  function readTable(table) {
    var labels = [], values = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var head = row.querySelector("th"), cell = row.querySelector("td");
      if (!head || !cell) { return; }
      labels.push(head.textContent.trim());
      values.push(Number(cell.textContent.trim()) || 0);
    });
    return { labels: labels, values: values };
  }

  function draw(table) {
    var data = readTable(table);
    if (!data.values.some(function (v) { return v > 0; })) { return; }
    var type = table.dataset.chart === "doughnut" ? "doughnut" : "bar";
    var horizontal = table.dataset.chartHorizontal === "1";
    var box = document.createElement("div");
    box.className = "chart-box" + (horizontal && data.labels.length > 6 ? " tall" : "");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");  // the table below carries the same numbers
    canvas.setAttribute("aria-label", (table.dataset.chartLabel || "") + ": " +
      data.labels.map(function (l, i) { return l + " " + data.values[i]; }).join(", "));
    box.appendChild(canvas);
    table.parentNode.insertBefore(box, table);
    table.parentNode.classList.add("has-chart");  // chart and table side by side on wide screens
    new window.Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: [{
          label: table.dataset.chartLabel || "",
          data: data.values,
          backgroundColor: type === "doughnut" ? PALETTE.slice(0, data.values.length) : PALETTE[0],
        }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: { legend: { display: type === "doughnut", position: "bottom" } },
        scales: type === "doughnut" ? {} : {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } },
        },
      },
    });
  }

  function init() {
    if (!window.Chart) { return; }
    document.querySelectorAll("table[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
