// Progressive enhancement for the reading page: hovering or focusing a highlight emphasises its
// card and the other way round. The page works fully without this script.
(function () {
  "use strict";
  function partners(id) {
    return document.querySelectorAll('[data-annotation="' + CSS.escape(id) + '"]');
  }
  function toggle(event, on) {
    var target = event.target.closest("[data-annotation]");
    if (!target) return;
    partners(target.dataset.annotation).forEach(function (element) {
      element.classList.toggle("is-active", on);
    });
  }
  document.addEventListener("mouseover", function (event) { toggle(event, true); });
  document.addEventListener("mouseout", function (event) { toggle(event, false); });
  document.addEventListener("focusin", function (event) { toggle(event, true); });
  document.addEventListener("focusout", function (event) { toggle(event, false); });
})();
