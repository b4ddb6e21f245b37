// The Annotate page: turn a text selection inside one paragraph into paragraph, start, end and
// the selected text of the annotation form. Browsers count offsets in UTF-16 code units; the
// server counts Unicode code points, so every offset is converted (an emoji is two units, one
// code point). Clicking a highlight opens its annotation for editing.
"use strict";

(function () {
  const form = document.querySelector("#annotation-form form");
  if (!form) {
    return;
  }
  const selectionMessage = document.getElementById("selection-message");
  const fields = {
    paragraph: form.querySelector("[name=paragraph]"),
    start: form.querySelector("[name=start]"),
    end: form.querySelector("[name=end]"),
    quote: form.querySelector("[name=quote]"),
  };

  const ACROSS = "across";

  function codePoints(text) {
    return Array.from(text).length;
  }

  function paragraphOf(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(".rn-paragraph[data-paragraph]") : null;
  }

  function utf16Offset(paragraph, container, offset) {
    const range = document.createRange();
    range.setStart(paragraph, 0);
    range.setEnd(container, offset);
    return range.toString().length;
  }

  function selectionInParagraph() {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    const range = selection.getRangeAt(0);
    const paragraph = paragraphOf(range.startContainer);
    const endParagraph = paragraphOf(range.endContainer);
    if (paragraph !== endParagraph) {
      // Across paragraphs, or from a paragraph into the cards or headings around it: say so,
      // and leave the form's selection as it was.
      return paragraph || endParagraph || acrossParagraphs(range) ? ACROSS : null;
    }
    if (!paragraph) {
      return null;
    }
    const text = paragraph.textContent;
    let start = utf16Offset(paragraph, range.startContainer, range.startOffset);
    let end = utf16Offset(paragraph, range.endContainer, range.endOffset);
    // A double click often takes the following space too; annotate the words only.
    while (start < end && /\s/.test(text[start])) {
      start += 1;
    }
    while (end > start && /\s/.test(text[end - 1])) {
      end -= 1;
    }
    if (start === end) {
      return null;
    }
    return {
      paragraph: paragraph.dataset.paragraph,
      start: codePoints(text.slice(0, start)),
      end: codePoints(text.slice(0, end)),
      quote: text.slice(start, end),
    };
  }

  // A selection that starts before one paragraph and ends after another touches both.
  function acrossParagraphs(range) {
    return Array.from(document.querySelectorAll(".rn-paragraph[data-paragraph]")).some(
      function (paragraph) {
        return range.intersectsNode(paragraph);
      }
    );
  }

  function fill() {
    const chosen = selectionInParagraph();
    if (selectionMessage && chosen !== null) {
      selectionMessage.hidden = chosen !== ACROSS;
    }
    if (!chosen || chosen === ACROSS) {
      return;
    }
    fields.paragraph.value = chosen.paragraph;
    fields.start.value = chosen.start;
    fields.end.value = chosen.end;
    fields.quote.value = chosen.quote;
    form.classList.add("rn-has-selection");
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
})();
