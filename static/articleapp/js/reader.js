// Progressive enhancement for the reading page; the page works fully without it.
// - Hovering or focusing a highlight emphasises its card, and the other way round.
// - Opening an annotation permalink (#a-<id>) or following a link between a highlight and its
//   card emphasises both and unfolds the cards on narrow screens.
// - Keys: j = next annotation, k = previous annotation, Enter on a highlight = go to its card.
// - The filter bar shows or hides highlights by entity kind and by single entity.
// - On narrow screens the overview (who is mentioned, plot, legend, filters) starts folded.
(function () {
  "use strict";

  var cards = Array.prototype.slice.call(document.querySelectorAll(".card[data-annotation]"));
  if (!cards.length) return;

  // On a narrow screen the text comes first: fold the overview until the reader opens it.
  var overview = document.querySelector(".overview-fold");
  if (overview && window.matchMedia("(max-width: 700px)").matches) overview.open = false;

  function partners(id) {
    return document.querySelectorAll('[data-annotation="' + CSS.escape(id) + '"]');
  }

  function setActive(id, on) {
    partners(id).forEach(function (element) {
      element.classList.toggle("is-active", on);
    });
  }

  var emphasised = null;
  function emphasise(id) {
    if (emphasised) setActive(emphasised, false);
    emphasised = id;
    if (id) setActive(id, true);
  }

  function hover(event, on) {
    var target = event.target.closest("[data-annotation]");
    if (target && target.dataset.annotation !== emphasised) setActive(target.dataset.annotation, on);
  }
  document.addEventListener("mouseover", function (event) { hover(event, true); });
  document.addEventListener("mouseout", function (event) { hover(event, false); });
  document.addEventListener("focusin", function (event) { hover(event, true); });
  document.addEventListener("focusout", function (event) { hover(event, false); });

  function unfold(element) {
    var fold = element && element.closest("details");
    if (fold && !fold.open) fold.open = true;
  }

  function followHash() {
    var match = /^#([ah])-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    var target = document.getElementById(match[1] + "-" + match[2]);
    if (!target) return;
    unfold(target);
    emphasise(match[2]);
    target.scrollIntoView({ block: "center" });
  }
  window.addEventListener("hashchange", followHash);
  followHash();

  // Keyboard navigation between annotations, in reading order.
  function visibleHighlights() {
    return Array.prototype.slice.call(document.querySelectorAll("mark.hl[id]")).filter(
      function (mark) { return !mark.classList.contains("is-filtered"); }
    );
  }

  function step(direction) {
    var highlights = visibleHighlights();
    if (!highlights.length) return;
    var index = highlights.findIndex(function (mark) {
      return mark.dataset.annotation === emphasised;
    });
    index = index < 0 ? (direction > 0 ? 0 : highlights.length - 1)
      : (index + direction + highlights.length) % highlights.length;
    var mark = highlights[index];
    mark.setAttribute("tabindex", "-1");
    emphasise(mark.dataset.annotation);
    mark.focus({ preventScroll: true });
    mark.scrollIntoView({ block: "center" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      step(event.key === "j" ? 1 : -1);
    } else if (event.key === "Enter" && target.matches("mark.hl[id]")) {
      event.preventDefault();
      window.location.hash = "a-" + target.dataset.annotation;
    }
  });

  // Filter bar: real buttons whose aria-pressed says whether their highlights are shown.
  var bar = document.querySelector(".filter-bar");
  if (!bar) return;
  var hiddenKinds = new Set();
  var hiddenEntities = new Set();

  function applyFilters() {
    cards.forEach(function (card) {
      var hidden = hiddenKinds.has(card.dataset.kind) ||
        (card.dataset.entity !== undefined && hiddenEntities.has(card.dataset.entity));
      partners(card.dataset.annotation).forEach(function (element) {
        element.classList.toggle("is-filtered", hidden);
      });
    });
    bar.querySelectorAll("[data-filter-kind]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(!hiddenKinds.has(button.dataset.filterKind)));
    });
    bar.querySelectorAll("[data-filter-entity]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(!hiddenEntities.has(button.dataset.filterEntity)));
    });
  }

  function toggle(set, value) {
    if (set.has(value)) set.delete(value); else set.add(value);
  }

  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.filterKind) toggle(hiddenKinds, button.dataset.filterKind);
    else if (button.dataset.filterEntity) toggle(hiddenEntities, button.dataset.filterEntity);
    else if (button.hasAttribute("data-filter-reset")) {
      hiddenKinds.clear();
      hiddenEntities.clear();
    }
    applyFilters();
  });
  bar.hidden = false;
})();
