// A catalogue import's page follows its progress (the JSON of data-status-url) until it ends, then
// reloads to show the totals. Without JavaScript the page says to reload it.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || box.getAttribute("data-finished") === "true") { return; }
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) {
        document.getElementById("import-status").textContent = s.status_label;
        var bar = document.getElementById("import-bar");
        bar.max = s.total_rows || 1;
        bar.value = s.processed_rows;
        document.getElementById("import-count").textContent = s.processed_rows;
        document.getElementById("import-total").textContent = s.total_rows;
        if (s.finished) { window.location.reload(); } else { setTimeout(poll, 1500); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
