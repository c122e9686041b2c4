// Behaviour every page may use, declared in its markup (the Content-Security-Policy runs no inline
// script or on...= handler):
//   <form data-confirm="¿Seguro?">         asks before sending the form
//   <button data-print>                     prints the page
//   <input data-select-on-focus>            selects its text when focused (a link to copy)
//   <input type="file" accept="..." [data-max-bytes="N"]>
//                                           checks the chosen file's type and size before anything is
//                                           sent (the limit defaults to the request limit in
//                                           <meta name="upload-limits">): on a slow connection a 25 MB
//                                           photo must not travel only to be refused. The server checks
//                                           again; this only saves the wait.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-select-on-focus")) { event.target.select(); }
  });

  function uploadSettings() {
    var meta = document.querySelector('meta[name="upload-limits"]');
    try { return JSON.parse(meta ? meta.getAttribute("content") : "{}"); } catch (e) { return {}; }
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) + " MB";
  }

  function acceptedType(file, accept) {
    if (!accept) { return true; }
    var name = file.name.toLowerCase(), type = (file.type || "").toLowerCase();
    return accept.split(",").some(function (token) {
      token = token.trim().toLowerCase();
      if (!token) { return false; }
      if (token.charAt(0) === ".") { return name.slice(-token.length) === token; }
      if (!type) { return false; }
      if (token.slice(-2) === "/*") { return type.indexOf(token.slice(0, -1)) === 0; }
      return type === token;
    }) || (!file.type && !accept.split(",").some(function (t) { return t.trim().charAt(0) === "."; }));
  }

  function showUploadError(input, message) {
    var note = input.parentNode.querySelector("[data-upload-error]");
    if (!message) {
      if (note) { note.remove(); }
      input.removeAttribute("aria-invalid");
      return;
    }
    if (!note) {
      note = document.createElement("small");
      note.className = "field-error";
      note.setAttribute("data-upload-error", "");
      note.setAttribute("role", "alert");
      note.id = (input.id || input.name) + "-upload-error";
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", note.id);
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input || input.type !== "file" || !input.files) { return; }
    var settings = uploadSettings(), messages = settings.messages || {};
    var limit = Number(input.getAttribute("data-max-bytes")) || settings.max_bytes || 0;
    var problem = "";
    Array.prototype.some.call(input.files, function (file) {
      if (!acceptedType(file, input.getAttribute("accept"))) {
        problem = (messages.wrong_type || "").replace("{name}", file.name);
      } else if (limit && file.size > limit) {
        var size = megabytes(file.size), max = megabytes(limit);
        if (size === max) { size = (file.size / (1024 * 1024)).toFixed(2) + " MB"; }  // just over
        problem = (messages.too_big || "").replace("{name}", file.name)
          .replace("{size}", size).replace("{max}", max);
      }
      return Boolean(problem);
    });
    if (problem) { input.value = ""; }  // nothing too big or of the wrong type is sent
    showUploadError(input, problem);
  });
})();
