// The Annotate page: turn a text selection inside one paragraph into paragraph, start, end and
// the selected text of the annotation form, shown as one line ("¶6, characters 120–134: …").
// Browsers count offsets in UTF-16 code units; the server counts Unicode code points, so every
// offset is converted (an emoji is two units, one code point). Clicking a highlight opens its
// annotation for editing; the comment's preview comes from the server, which renders and
// sanitises it as the reading page does. Without this script the selection's fields are typed.
"use strict";

(function () {
  const form = document.querySelector("#annotation-form form.rn-annotation-fields");
  if (!form) {
    return;
  }
  const text = document.querySelector(".rn-annotate-text");
  const acrossMessage = document.getElementById("selection-message");
  const outsideMessage = document.getElementById("selection-outside");
  const summary = document.getElementById("selection-summary");
  const fields = {
    paragraph: form.querySelector("[name=paragraph]"),
    start: form.querySelector("[name=start]"),
    end: form.querySelector("[name=end]"),
    quote: form.querySelector("[name=quote]"),
  };

  const ACROSS = "across";
  const OUTSIDE = "outside";

  function codePoints(string) {
    return Array.from(string).length;
  }

  function paragraphOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(".rn-paragraph[data-paragraph]") : null;
  }

  function inText(node) {
    return text !== null && text.contains(node);
  }

  function utf16Offset(paragraph, container, offset) {
    const range = document.createRange();
    range.setStart(paragraph, 0);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  // A selection that starts before one paragraph and ends after another touches both.
  function paragraphsTouched(range) {
    return Array.from(document.querySelectorAll(".rn-paragraph[data-paragraph]")).filter(
      function (paragraph) {
        return range.intersectsNode(paragraph);
      }
    ).length;
  }

  // The selection as {paragraph, start, end, quote}; ACROSS or OUTSIDE when it cannot be one;
  // null when it is none of the page's business (nothing selected, or in the form).
  function selectionInParagraph() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    const paragraph = paragraphOf(range.startContainer);
    const endParagraph = paragraphOf(range.endContainer);
    if (paragraph !== endParagraph) {
      if (paragraph && endParagraph) {
        return ACROSS;
      }
      return paragraphsTouched(range) > 1 ? ACROSS : OUTSIDE;
    }
    if (!paragraph) {
      // Wholly outside every paragraph's text: in the numbers, the notes or the help above
      // them it is a try to annotate that says why it failed; elsewhere it is not ours.
      if (paragraphsTouched(range) > 1) {
        return ACROSS;
      }
      if (paragraphsTouched(range) === 1) {
        return OUTSIDE;
      }
      return inText(range.startContainer) && inText(range.endContainer) ? OUTSIDE : null;
    }
    const content = paragraph.textContent;
    let start = utf16Offset(paragraph, range.startContainer, range.startOffset);
    let end = utf16Offset(paragraph, range.endContainer, range.endOffset);
    // A double click often takes the following space too; annotate the words only.
    while (start < end && /\s/.test(content[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(content[end - 1])) {
      end -= 1;
    }
    if (start === end) {
      return null;
    }
    return {
      paragraph: paragraph.dataset.paragraph,
      start: codePoints(content.slice(0, start)),
      end: codePoints(content.slice(0, end)),
      quote: content.slice(start, end),
    };
  }

  function formatted(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  // A selection in the words of the page: "¶6, characters 120–134: “…”"; null if incomplete.
  function described(chosen) {
    const paragraph = document.querySelector(
      '.rn-paragraph[data-paragraph="' + CSS.escape(chosen.paragraph) + '"]'
    );
    if (!paragraph || chosen.start === "" || chosen.end === "" || !chosen.quote) {
      return null;
    }
    return formatted(summary.dataset.format, {
      position: paragraph.dataset.position,
      start: chosen.start,
      end: chosen.end,
      quote: formatted(summary.dataset.quote, { text: chosen.quote }),
    });
  }

  // The selection the form will post.
  function showSelection() {
    if (!summary) {
      return;
    }
    const line = described({
      paragraph: fields.paragraph.value,
      start: fields.start.value,
      end: fields.end.value,
      quote: fields.quote.value,
    });
    summary.classList.toggle("rn-empty", !line);
    summary.textContent = line || summary.dataset.empty;
  }

  function use(chosen) {
    fields.paragraph.value = chosen ? chosen.paragraph : "";
    fields.start.value = chosen ? chosen.start : "";
    fields.end.value = chosen ? chosen.end : "";
    fields.quote.value = chosen ? chosen.quote : "";
    showSelection();
  }

  // An annotation opened for editing keeps its words until the editor moves it: a selection
  // made to copy a word, or by a stray drag, is offered, not taken. An orphan has no words to
  // keep; its selection is taken at once.
  const editing = document.querySelector(".rn-card.rn-editing");
  const keepsItsWords = editing !== null && !editing.classList.contains("rn-orphan");
  const pending = document.getElementById("selection-pending");
  const pendingText = document.getElementById("selection-pending-text");
  let offered = null;
  function offer(chosen) {
    offered = chosen;
    if (pending) {
      pending.hidden = !chosen;
      pendingText.textContent = chosen
        ? formatted(pendingText.dataset.format, { selection: described(chosen) })
        : "";
    }
  }
  const apply = document.getElementById("selection-apply");
  if (apply) {
    apply.addEventListener("click", function () {
      if (offered) {
        use(offered);
        changed = true;
        offer(null);
      }
    });
  }

  function fill() {
    const chosen = selectionInParagraph();
    if (chosen === null) {
      return;
    }
    acrossMessage.hidden = chosen !== ACROSS;
    outsideMessage.hidden = chosen !== OUTSIDE;
    if (chosen === ACROSS || chosen === OUTSIDE) {
      // Refused: a new annotation is left with no words (saving asks for them), never with
      // the ones selected before; one being edited keeps its own.
      offer(null);
      if (!keepsItsWords) {
        use(null);
      }
      return;
    }
    if (keepsItsWords) {
      // Its own words (selected again, or still selected after the move) are nothing new.
      const same =
        chosen.paragraph === fields.paragraph.value &&
        String(chosen.start) === fields.start.value &&
        String(chosen.end) === fields.end.value;
      offer(same ? null : chosen);
    } else {
      use(chosen);
      changed = true;
    }
  }

  // Input typed and not saved is not lost without a word: leaving the page asks first.
  let changed = false;
  form.addEventListener("input", function () {
    changed = true;
  });
  form.addEventListener("submit", function () {
    changed = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // With the script the selection is made in the text, never typed: its fields give way to
  // the line that shows it, and are still posted.
  const selectionFields = document.getElementById("selection-fields");
  if (selectionFields && summary) {
    selectionFields.hidden = true;
    summary.hidden = false;
    showSelection();
  }

  // An annotation opened for editing: its words are outlined, and beside the form (from
  // 1280 px, where the form stays in view) the text scrolls to them.
  const aside = document.getElementById("annotation-form");
  if (editing) {
    const id = editing.id.replace(/^a-/, "");
    document
      .querySelectorAll('mark[data-annotation="' + CSS.escape(id) + '"]')
      .forEach(function (mark) {
        mark.classList.add("rn-editing");
      });
    if (aside && getComputedStyle(aside).position === "sticky") {
      editing.scrollIntoView({ block: "center" });
    }
  }

  document.addEventListener("selectionchange", fill);
  document.addEventListener("mouseup", fill);
  document.addEventListener("keyup", fill);

  // A click on a highlight (not the end of a selection) opens that annotation's form.
  document.querySelectorAll(".rn-paragraph").forEach(function (paragraph) {
    paragraph.addEventListener("click", function (event) {
      const link = event.target.closest("a.hl-link");
      if (!link) {
        return;
      }
      event.preventDefault();
      const selection = window.getSelection();
      if (selection && !selection.isCollapsed) {
        return;
      }
      const id = link.getAttribute("href").replace(/^#a-/, "");
      const card = document.querySelector('.rn-edit[data-annotation="' + CSS.escape(id) + '"]');
      if (card) {
        window.location.assign(card.href);
      }
    });
  });

  // The comment's preview: the server renders what readers will see, a moment after typing
  // stops. Only the newest answer is shown.
  const comment = form.querySelector("textarea[name=comment]");
  const preview = form.querySelector(".rn-comment-preview");
  const previewBody = document.getElementById("comment-preview");
  if (comment && preview && previewBody && !comment.disabled) {
    let timer = null;
    let asked = 0;
    const token = form.querySelector("[name=csrfmiddlewaretoken]").value;

    function renderPreview() {
      const request = ++asked;
      const body = new FormData();
      body.append("comment", comment.value);
      fetch(preview.dataset.url, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.text();
        })
        .then(function (html) {
          if (request === asked) {
            previewBody.innerHTML = html;
          }
        })
        .catch(function () {
          if (request === asked) {
            previewBody.textContent = preview.dataset.failed;
          }
        });
    }

    comment.addEventListener("input", function () {
      window.clearTimeout(timer);
      preview.hidden = comment.value.trim() === "";
      if (!preview.hidden) {
        timer = window.setTimeout(renderPreview, 300);
      }
    });
  }
})();
