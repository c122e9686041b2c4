// Slide deck of a school's presentation: one slide at a time, keyboard arrows to move.
// Without JavaScript every slide is shown one below the other, so nothing is lost.
(function () {
  "use strict";
  var deck = document.getElementById("deck");
  if (!deck || deck.getAttribute("data-print") === "1") { return; }
  var slides = Array.prototype.slice.call(deck.querySelectorAll(".slide"));
  if (!slides.length) { return; }
  var counter = document.getElementById("deck-counter");
  var index = 0;

  function show(next) {
    index = Math.max(0, Math.min(slides.length - 1, next));
    slides.forEach(function (slide, k) { slide.classList.toggle("current", k === index); });
    if (counter) { counter.textContent = (index + 1) + " / " + slides.length; }
    if (history.replaceState) { history.replaceState(null, "", "#" + (index + 1)); }
  }

  deck.classList.add("js");
  var start = parseInt((location.hash || "").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    switch (event.key) {
      case "ArrowRight": case "ArrowDown": case "PageDown": case " ":
        show(index + 1); break;
      case "ArrowLeft": case "ArrowUp": case "PageUp": case "Backspace":
        show(index - 1); break;
      case "Home": show(0); break;
      case "End": show(slides.length - 1); break;
      case "f": case "F":
        if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
        break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-deck]");
    if (!button) { return; }
    var action = button.getAttribute("data-deck");
    if (action === "next") { show(index + 1); }
    else if (action === "prev") { show(index - 1); }
    else if (action === "fullscreen" && document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen();
    }
  });
})();
