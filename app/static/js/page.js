// Behaviour every page may use, declared in its markup (the Content-Security-Policy runs no inline
// script or on...= handler):
//   <form data-confirm="¿Seguro?">         asks before sending the form
//   <button data-print>                     prints the page
//   <input data-select-on-focus>            selects its text when focused (a link to copy)
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
})();
