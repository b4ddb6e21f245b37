// The reading page's filter bar, a progressive enhancement (reader.js lays out the margin).
// It shows or hides highlights and notes by kind and by entity; its buttons and the folds'
// counts say the truth. Hidden notes take no room: reader.js lays the margin out again on the
// "notes-filtered" event.
(function () {
  "use strict";

  var text = document.querySelector(".article .text");
  var bar = document.querySelector(".filter-bar");
  if (!text || !bar) return;

  function noteOf(id) { return document.getElementById("a-" + id); }
  function isShown(element) { return !element.classList.contains("is-filtered"); }
  function partners(id) {
    return document.querySelectorAll('[data-annotation="' + CSS.escape(id) + '"]');
  }

  // Hidden entities, and whether comments without an entity are hidden. A kind button is
  // pressed when all its entities show, "mixed" when some do.
  var hiddenEntities = new Set();
  var commentsHidden = false;
  var entityButtons = Array.prototype.slice.call(bar.querySelectorAll("[data-filter-entity]"));
  function entitiesOfKind(kind) {
    return entityButtons.filter(function (button) { return button.dataset.kind === kind; })
      .map(function (button) { return button.dataset.filterEntity; });
  }
  // Each fold counts and names the notes the filters leave, in the server's words (both plural
  // forms are in its data attributes), and goes when it holds none.
  var folds = Array.prototype.map.call(text.querySelectorAll(".notes-fold, .more-notes"), function (fold) {
    var summary = fold.querySelector(":scope > summary");
    var names = summary.querySelector(".more-names");
    var count = summary.querySelector(".more-count") || summary;
    return { fold: fold, count: count, names: names, spans: names ? [].slice.call(names.children) : [] };
  });
  function recount(entry) {
    var shown = Array.prototype.filter.call(entry.fold.querySelectorAll(".note"), isShown).length;
    var form = shown === 1 ? entry.count.dataset.one : entry.count.dataset.other;
    entry.count.textContent = form.replace("%(counter)s", shown) + (entry.names ? ":" : "");
    entry.fold.hidden = !shown;
    if (!entry.names) return;
    entry.names.textContent = "";
    entry.spans.filter(function (span) { return isShown(noteOf(span.dataset.nameOf)); })
      .forEach(function (span, index) { entry.names.append(index ? ", " : "", span); });
  }
  function applyFilters() {
    document.querySelectorAll(".note[data-annotation]").forEach(function (note) {
      var hidden = note.dataset.entity === undefined ? commentsHidden
        : hiddenEntities.has(note.dataset.entity);
      partners(note.dataset.annotation).forEach(function (element) {
        element.classList.toggle("is-filtered", hidden);
      });
    });
    entityButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", String(!hiddenEntities.has(button.dataset.filterEntity)));
    });
    bar.querySelectorAll("[data-filter-kind]").forEach(function (button) {
      var kind = button.dataset.filterKind;
      var state;
      if (kind === "comment") {
        state = String(!commentsHidden);
      } else {
        var slugs = entitiesOfKind(kind);
        var hidden = slugs.filter(function (slug) { return hiddenEntities.has(slug); }).length;
        state = hidden === 0 ? "true" : hidden === slugs.length ? "false" : "mixed";
      }
      button.setAttribute("aria-pressed", state);
    });
    folds.forEach(recount);
    text.dispatchEvent(new Event("notes-filtered"));
  }
  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.filterKind === "comment") {
      commentsHidden = !commentsHidden;
    } else if (button.dataset.filterKind) {
      var slugs = entitiesOfKind(button.dataset.filterKind);
      var show = button.getAttribute("aria-pressed") !== "true";
      slugs.forEach(function (slug) {
        if (show) hiddenEntities.delete(slug); else hiddenEntities.add(slug);
      });
    } else if (button.dataset.filterEntity) {
      var slug = button.dataset.filterEntity;
      if (hiddenEntities.has(slug)) hiddenEntities.delete(slug); else hiddenEntities.add(slug);
    } else if (button.hasAttribute("data-filter-reset")) {
      hiddenEntities.clear();
      commentsHidden = false;
    }
    applyFilters();
  });
  bar.hidden = false;
})();
