// Copy buttons beside a read-only box with a secret link or token (auth/_copy.html): the clipboard
// API where the page is a secure context, else the selection and execCommand.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copy);
      function show(ok) { button.textContent = ok ? button.dataset.copied : button.dataset.failed; }
      input.focus();
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () { show(true); }, function () { show(false); });
      } else {
        try { show(document.execCommand("copy")); } catch (e) { show(false); }
      }
    });
  });
})();
