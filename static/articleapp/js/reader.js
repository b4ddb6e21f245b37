// Progressive enhancement for the reading page; the page works fully without it.
// - Wide screens: each margin note slides down beside the line of its highlight. Positions are
//   measured for every note first and written after, as transforms: the text never moves.
// - A repeated bare mention opens its note as a popover next to the words (Esc closes it).
// - Hovering or focusing a highlight emphasises its note, and the other way round. A note folded
//   under "+N more" is shown by opening that fold over the margin: the text never moves.
// - Keys: j / k next / previous highlight, Enter opens its note and focuses it, Esc goes back.
(function () {
  "use strict";

  var text = document.querySelector(".article .text");
  if (!text) return;
  var wide = window.matchMedia("(min-width: 701px)");

  function noteOf(id) { return document.getElementById("a-" + id); }
  function highlightOf(id) { return document.getElementById("h-" + id); }
  function partners(id) {
    return document.querySelectorAll('[data-annotation="' + CSS.escape(id) + '"]');
  }
  function isPopover(note) { return note && note.classList.contains("note-popover"); }
  function isShown(element) { return !element.classList.contains("is-filtered"); }
  function wordOf(id) {
    var mark = highlightOf(id);
    return mark && (mark.querySelector(".hl-link") || mark);
  }

  // Emphasis, shared by hover, focus, keys and permalinks.
  function setActive(id, on) {
    partners(id).forEach(function (element) { element.classList.toggle("is-active", on); });
    var note = noteOf(id);
    var fold = note && !isPopover(note) && note.closest(".more-notes");
    if (fold) fold.querySelector("summary").classList.toggle("is-active", on);
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

  // On wide screens "+N more" opens over the margin below it (site.css). A peek is a fold opened
  // to show the note of the highlight under the pointer or the focus; it closes as they move on.
  var peek = null, peekByPointer = false;
  function closePeek() {
    if (peek) peek.open = false;
    peek = null;
  }
  function peekAt(mark, byPointer) {
    var note = isShown(mark) && noteOf(mark.dataset.annotation);
    var fold = wide.matches && note && !isPopover(note) && note.closest(".more-notes");
    if (peek && peek !== fold) closePeek();
    if (fold && !fold.open) { fold.open = true; peek = fold; peekByPointer = byPointer; }
  }
  // The pointer opens a fold only once it rests on a highlight: one passing over the text on
  // its way elsewhere opens nothing.
  var restMs = 150, resting = null, restTimer = 0;
  document.addEventListener("mouseover", function (event) {
    hover(event, true);
    var mark = event.target.closest("mark.hl");
    if (!mark || mark === resting) return;
    window.clearTimeout(restTimer);
    resting = mark;
    restTimer = window.setTimeout(function () { peekAt(mark, true); }, restMs);
  });
  document.addEventListener("mouseout", function (event) {
    hover(event, false);
    var next = event.relatedTarget;
    var onto = next && next.closest && next.closest("mark.hl");
    if (resting && onto !== resting) { window.clearTimeout(restTimer); resting = null; }
    if (peekByPointer && !onto) closePeek();
  });
  document.addEventListener("focusin", function (event) {
    hover(event, true);
    var mark = event.target.closest("mark.hl");
    if (mark) peekAt(mark, false);
    else if (peek && !peek.contains(event.target)) closePeek();
  });
  document.addEventListener("focusout", function (event) { hover(event, false); });
  // An open "+N more" closes on a press outside it (a press on one of its highlights excepted),
  // and opening one closes the others.
  document.addEventListener("pointerdown", function (event) {
    if (!wide.matches) return;
    var mark = event.target.closest && event.target.closest("mark.hl");
    text.querySelectorAll(".more-notes[open]").forEach(function (fold) {
      var inside = fold.contains(event.target) || (mark && fold.contains(noteOf(mark.dataset.annotation)));
      if (!inside) fold.open = false;
    });
  }, true);
  text.addEventListener("toggle", function (event) {
    var fold = event.target;
    scheduleLayout();
    if (!fold.classList.contains("more-notes")) return;
    if (!fold.open && fold === peek) peek = null;
    if (fold.open && wide.matches) {
      text.querySelectorAll(".more-notes[open]").forEach(function (other) {
        if (other !== fold) other.open = false;
      });
    }
  }, true);

  // Open every closed fold around an element (the paragraph's notes, "+N more").
  function reveal(element) {
    var changed = false;
    for (var fold = element.closest("details"); fold; fold = fold.parentElement.closest("details")) {
      if (!fold.open) { fold.open = true; changed = true; }
    }
    if (changed) scheduleLayout();
  }

  // A margin note the reader asked for (a click, Enter): shown, emphasised, and on a wide screen
  // kept open over the margin (no longer a peek). The URL names it without making it :target,
  // whose full description would make the row, and so the text below it, move.
  function showNote(id) {
    var note = noteOf(id);
    reveal(note);
    if (peek && peek.contains(note)) peek = null;
    emphasise(id);
    history.replaceState(null, "", "#a-" + id);
  }
  // The focus goes into a note reached from its words; Esc takes it back to them.
  function focusNote(note) {
    note.setAttribute("tabindex", "-1");
    note.returnFocusTo = wordOf(note.dataset.annotation);
    note.focus({ preventScroll: true });
    note.scrollIntoView({ block: "nearest" });
  }

  // Popovers: the highlight link of a repeated mention opens its note beside the words.
  var anchored = CSS.supports("position-area: bottom");
  var invokers = {};
  text.querySelectorAll("a.hl-link").forEach(function (link) {
    var id = link.getAttribute("href").slice(3);
    if (!isPopover(noteOf(id))) return;
    link.setAttribute("aria-controls", "a-" + id);
    link.setAttribute("aria-expanded", "false");
    (invokers[id] = invokers[id] || []).push(link);
  });
  function openPopover(note, source, focusInside) {
    if (!note.matches(":popover-open")) {
      if (anchored) {
        note.showPopover({ source: source });
      } else {
        note.showPopover();
        var box = source.getBoundingClientRect();
        note.style.left = Math.max(8, Math.min(box.left, window.innerWidth - note.offsetWidth - 8)) + "px";
        note.style.top = box.bottom + window.scrollY + 6 + "px";
        note.style.position = "absolute";
      }
    }
    note.returnFocusTo = source;
    emphasise(note.dataset.annotation);
    if (focusInside) note.querySelector("a").focus();
  }
  document.querySelectorAll(".note-popover").forEach(function (note) {
    note.addEventListener("toggle", function (event) {
      var open = event.newState === "open";
      (invokers[note.dataset.annotation] || []).forEach(function (link) {
        link.setAttribute("aria-expanded", String(open));
      });
      if (!open && note.contains(document.activeElement) && note.returnFocusTo) {
        note.returnFocusTo.focus();
      }
    });
  });

  // Margin layout on wide screens: measure every note, then write every position. Offsets are
  // relative to the text container, and ignore transforms, so measuring undoes nothing.
  var gapBelow = 8;
  function layout() {
    var items = text.querySelectorAll(".notes-fold > .notes > .note, .notes-fold > .more-notes");
    if (!wide.matches) {
      // On a phone the notes stand under their paragraph: nothing to measure (which would lay
      // out the whole page), only the shifts a wider window gave them to undo.
      items.forEach(function (item) { if (item.style.transform) item.style.transform = ""; });
      return;
    }
    // What a filter hides takes no room.
    var shown = Array.prototype.filter.call(items, function (item) { return item.offsetParent; });
    var placed = shown.map(function (item) {
      var mark = item.classList.contains("note") && highlightOf(item.dataset.annotation);
      var natural = item.offsetTop;
      var wanted = mark ? mark.offsetTop : natural;
      return { item: item, natural: natural, height: item.offsetHeight, wanted: wanted };
    });
    var limit = text.offsetHeight;
    var top = [];
    // Down the page: beside its words, or under the note above, never above its own place.
    placed.forEach(function (entry, index) {
      var after = index ? top[index - 1] + placed[index - 1].height + gapBelow : entry.natural;
      top.push(Math.max(entry.wanted, after, entry.natural));
    });
    // Up from the end: nothing runs past the text, pushing notes back up if they must.
    for (var index = placed.length - 1; index >= 0; index--) {
      var below = index === placed.length - 1 ? limit : top[index + 1] - gapBelow;
      top[index] = Math.max(placed[index].natural, Math.min(top[index], below - placed[index].height));
    }
    placed.forEach(function (entry, index) {
      var shift = Math.round(top[index] - entry.natural);
      entry.item.style.transform = shift ? "translateY(" + shift + "px)" : "";
    });
  }
  var pending = false;
  function scheduleLayout() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; layout(); });
  }
  layout();
  if (document.fonts) document.fonts.ready.then(scheduleLayout);
  window.addEventListener("resize", scheduleLayout);

  // A cut comment opens in place, and closes again.
  text.addEventListener("click", function (event) {
    var button = event.target.closest(".note-expand");
    if (!button) return;
    var note = button.closest(".note");
    var open = note.classList.toggle("is-expanded");
    button.setAttribute("aria-expanded", String(open));
    scheduleLayout();
  });

  // Permalinks and links between highlights and notes.
  function followHash(event) {
    var match = /^#([ah])-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    var note = noteOf(match[2]);
    var mark = highlightOf(match[2]);
    if (match[1] === "a" && isPopover(note)) {
      mark.scrollIntoView({ block: "center" });
      openPopover(note, mark.querySelector(".hl-link") || mark, false);
      return;
    }
    var target = match[1] === "a" ? note : mark;
    if (!target) return;
    reveal(target);
    emphasise(match[2]);
    target.scrollIntoView({ block: "center" });
    // A link followed (not a page opened at a fragment): the focus goes along.
    if (!event) return;
    if (target === note) focusNote(note);
    else wordOf(match[2]).focus({ preventScroll: true });
  }
  window.addEventListener("hashchange", followHash);
  followHash();

  // A press on the words of an open popover closes it (light dismiss, before the click): the
  // click that follows must not open it again.
  var dismissedBy = null;
  text.addEventListener("pointerdown", function (event) {
    var link = event.target.closest("a.hl-link");
    var note = link && noteOf(link.getAttribute("href").slice(3));
    dismissedBy = isPopover(note) && note.matches(":popover-open") ? link : null;
  }, true);
  text.addEventListener("click", function (event) {
    var link = event.target.closest("a.hl-link");
    if (!link) return;
    var id = link.getAttribute("href").slice(3);
    var note = noteOf(id);
    if (isPopover(note)) {
      event.preventDefault();
      var dismissed = dismissedBy === link;
      dismissedBy = null;
      if (note.matches(":popover-open")) note.hidePopover();
      else if (!dismissed) openPopover(note, link, event.detail === 0);
    } else if (note && wide.matches) {
      // The note already stands beside the words: emphasise it instead of scrolling away.
      event.preventDefault();
      showNote(id);
      if (event.detail === 0) focusNote(note);
    }
  });

  // Keyboard navigation between highlights, in reading order.
  function step(direction) {
    var highlights = Array.prototype.filter.call(text.querySelectorAll("mark.hl[id]"), isShown);
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
    if (event.key === "Escape") {
      var open = document.querySelector(".note-popover:popover-open");
      var from = target.closest(".note");
      var fold = wide.matches && text.querySelector(".more-notes[open]");
      if (open) {
        open.hidePopover();
      } else if (from && from.returnFocusTo && !isPopover(from)) {
        // Back to the words; the fold that shows the note closes as the focus moves on.
        if (fold && fold.contains(from)) { peek = fold; peekByPointer = false; }
        from.returnFocusTo.focus();
      } else if (fold) {
        fold.open = false;
        if (fold.contains(target)) fold.querySelector("summary").focus();
      }
      return;
    }
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      step(event.key === "j" ? 1 : -1);
    } else if (event.key === "Enter" && target.matches("mark.hl[id]")) {
      event.preventDefault();
      var note = noteOf(target.dataset.annotation);
      if (isPopover(note)) {
        openPopover(note, target, true);
      } else if (wide.matches) {
        showNote(target.dataset.annotation);
        focusNote(note);
      } else {
        window.location.hash = "a-" + target.dataset.annotation;
      }
    }
  });

  // The filter bar (filters.js) has shown or hidden notes: they take room, or none.
  text.addEventListener("notes-filtered", scheduleLayout);
})();
