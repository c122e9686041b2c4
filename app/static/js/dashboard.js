/* Charts drawn from tables: an SVG picture above every <table data-chart="bar|doughnut">.
 *
 * The tables are the source of the numbers and stay on the page (accessible, and the whole answer
 * without JavaScript); this only adds a picture of them. One <tr> per bar: <th> label, <td> number.
 * data-chart-label names the picture; data-chart-horizontal="1" lays bars out in rows (long labels).
 *
 * A few lines of SVG instead of Chart.js (72 KiB compressed): these are static counts, and the pages
 * must stay light on a rural 3G phone (issue 13). Colours are drawn from one palette that keeps
 * WCAG AA contrast against white for the text written on or beside them.
 */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var PALETTE = ["#2e6b0e", "#1565c0", "#8a5a00", "#6a1b9a", "#c62828", "#00695c", "#6d4c41",
                 "#455a64", "#ad1457", "#1b5e20"];

  function readTable(table) {
    var rows = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var head = row.querySelector("th"), cell = row.querySelector("td");
      if (!head || !cell) { return; }
      rows.push({ label: head.textContent.trim(), value: Number(cell.textContent.trim()) || 0 });
    });
    return rows;
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function short(label, max) {
    return label.length > max ? label.slice(0, max - 1) + "…" : label;
  }

  /* Bars in rows: the label above its bar (long category names fit a phone), count at its end. */
  function horizontalBars(rows) {
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }));
    var rowHeight = 42, barWidth = 300, width = 360;
    var svg = el("svg", { viewBox: "0 0 " + width + " " + rows.length * rowHeight, class: "chart" });
    rows.forEach(function (row, i) {
      var y = i * rowHeight, length = max ? Math.max(2, (row.value / max) * barWidth) : 0;
      svg.appendChild(el("text", { x: 0, y: y + 15 }, short(row.label, 48)));
      svg.appendChild(el("rect", { x: 0, y: y + 21, width: length, height: 14, fill: PALETTE[0], rx: 3 }));
      svg.appendChild(el("text", { x: length + 6, y: y + 33 }, String(row.value)));
    });
    return svg;
  }

  /* Columns: count above each column, label below. */
  function columns(rows) {
    var max = Math.max.apply(null, rows.map(function (r) { return r.value; }));
    var step = 90, chartHeight = 150, top = 22, width = Math.max(rows.length * step, 180);
    var svg = el("svg", { viewBox: "0 0 " + width + " " + (top + chartHeight + 30), class: "chart" });
    svg.appendChild(el("line", { x1: 0, x2: width, y1: top + chartHeight, y2: top + chartHeight, stroke: "#6b7280" }));
    rows.forEach(function (row, i) {
      var height = max ? (row.value / max) * chartHeight : 0, x = i * step + 20;
      svg.appendChild(el("rect", { x: x, y: top + chartHeight - height, width: step - 40, height: height, fill: PALETTE[0], rx: 3 }));
      svg.appendChild(el("text", { x: x + (step - 40) / 2, y: top + chartHeight - height - 6, "text-anchor": "middle" }, String(row.value)));
      svg.appendChild(el("text", { x: x + (step - 40) / 2, y: top + chartHeight + 20, "text-anchor": "middle" }, short(row.label, 12)));
    });
    return svg;
  }

  /* A ring of arcs (stroke-dasharray on one circle per part) with a legend beside it. */
  function doughnut(rows) {
    var total = rows.reduce(function (sum, r) { return sum + r.value; }, 0);
    var radius = 60, circumference = 2 * Math.PI * radius, offset = 0;
    var svg = el("svg", { viewBox: "0 0 420 " + Math.max(160, rows.length * 26 + 10), class: "chart" });
    rows.forEach(function (row, i) {
      var colour = PALETTE[i % PALETTE.length], length = total ? (row.value / total) * circumference : 0;
      if (length > 0) {
        svg.appendChild(el("circle", {
          cx: 80, cy: 80, r: radius, fill: "none", stroke: colour, "stroke-width": 28,
          "stroke-dasharray": length + " " + (circumference - length),
          "stroke-dashoffset": -offset, transform: "rotate(-90 80 80)",
        }));
        offset += length;
      }
      svg.appendChild(el("rect", { x: 175, y: 8 + i * 26, width: 14, height: 14, fill: colour, rx: 2 }));
      svg.appendChild(el("text", { x: 196, y: 20 + i * 26 }, short(row.label, 22) + ": " + row.value));
    });
    svg.appendChild(el("text", { x: 80, y: 86, "text-anchor": "middle", class: "chart-total" }, String(total)));
    return svg;
  }

  function draw(table) {
    var rows = readTable(table);
    if (!rows.some(function (r) { return r.value > 0; })) { return; }
    var kind = table.dataset.chart;
    var svg = kind === "doughnut" ? doughnut(rows)
      : table.dataset.chartHorizontal === "1" ? horizontalBars(rows) : columns(rows);
    // The table below carries the same numbers: the picture is one image with a full description.
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", (table.dataset.chartLabel || "") + ": " +
      rows.map(function (r) { return r.label + " " + r.value; }).join(", "));
    var box = document.createElement("div");
    box.className = "chart-box";
    box.appendChild(svg);
    table.parentNode.insertBefore(box, table);
    table.parentNode.classList.add("has-chart");  // chart and table side by side on wide screens
  }

  function init() {
    document.querySelectorAll("table[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
