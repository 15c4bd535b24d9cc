// Reading Room: the few behaviours htmx does not cover. No inline scripts (CSP script-src 'self').
(function () {
  "use strict";

  const body = () => document.getElementById("article-body");
  const panel = () => document.getElementById("panel");
  const articleEl = () => document.querySelector("article.article");

  function openInPanel(url) {
    if (window.htmx && panel()) {
      window.htmx.ajax("GET", url, { target: "#panel" });
    } else {
      window.location.href = url;
    }
  }

  // --- highlight toggles ---------------------------------------------------------------
  document.addEventListener("change", (event) => {
    const box = event.target.closest("input[data-toggle]");
    if (!box) return;
    document.body.classList.toggle("hide-" + box.dataset.toggle, !box.checked);
    if (box.dataset.toggle === "boilerplate") {
      document.body.classList.toggle("show-boilerplate", box.checked);
    }
  });

  // --- selecting text to annotate --------------------------------------------------------
  // Offsets are sent as UTF-16 code units (what the DOM counts) into the article's text;
  // the server converts them to code points. Each block carries its UTF-16 start.
  function selectionOffsets() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    const root = body();
    if (!root || !root.contains(range.commonAncestorContainer)) return null;
    const point = (node, offset) => {
      const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
      const block = el && el.closest("[data-start16]");
      if (!block) return null;
      const r = document.createRange();
      r.setStart(block, 0);
      r.setEnd(node, offset);
      return Number(block.dataset.start16) + r.toString().length;
    };
    const start = point(range.startContainer, range.startOffset);
    const end = point(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    return { start, end, rect: range.getBoundingClientRect() };
  }

  function showPopover() {
    const pop = document.getElementById("select-popover");
    if (!pop) return;
    const found = selectionOffsets();
    if (!found) {
      pop.hidden = true;
      return;
    }
    pop.dataset.start = found.start;
    pop.dataset.end = found.end;
    pop.style.top = window.scrollY + found.rect.bottom + 6 + "px";
    pop.style.left = window.scrollX + found.rect.left + "px";
    pop.hidden = false;
  }

  document.addEventListener("mouseup", () => setTimeout(showPopover, 0));
  document.addEventListener("keyup", (event) => {
    if (event.shiftKey || event.key === "Shift") showPopover();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("#annotate-selection");
    if (button) {
      const pop = document.getElementById("select-popover");
      const id = articleEl().dataset.article;
      openInPanel(`/articles/${id}/annotate?start=${pop.dataset.start}&end=${pop.dataset.end}&offsets=utf16`);
      pop.hidden = true;
      return;
    }
    const mark = event.target.closest("mark.ann[data-annotation]");
    if (mark && !event.target.closest("a")) {
      openInPanel(`/annotations/${mark.dataset.annotation}`);
    }
    const jump = event.target.closest("[data-annotation-jump]");
    if (jump) {
      const claim = jump.dataset.jump;
      openInPanel(claim ? `/claims/${claim}` : `/annotations/${jump.dataset.annotationJump}`);
    }
  });

  // An entity link inside a claim opens the entity, not the claim's panel.
  document.addEventListener(
    "click",
    (event) => {
      if (event.target.closest("a.ent") && event.target.closest(".claim")) {
        event.stopPropagation();
      }
    },
    true
  );

  // --- after writes --------------------------------------------------------------------
  // A new or deleted selection note changes the article's highlights: reload and reopen.
  document.body.addEventListener("annotations-changed", (event) => {
    const d = event.detail || {};
    const hash = d.claim ? "#open-claim-" + d.claim : d.annotation ? "#open-ann-" + d.annotation : "";
    window.location.replace(window.location.pathname + hash);
    window.location.reload();
  });

  // `#open-claim-12` / `#open-ann-7`: open that panel and bring its text into view.
  function reopenFromHash() {
    const m = /^#open-(claim|ann)-(\d+)$/.exec(window.location.hash);
    if (!m) return;
    openInPanel(m[1] === "claim" ? `/claims/${m[2]}` : `/annotations/${m[2]}`);
    const attr = m[1] === "claim" ? "data-claim" : "data-annotation";
    const mark = document.querySelector(`#article-body [${attr}="${m[2]}"]`);
    if (mark) {
      mark.scrollIntoView({ block: "center" });
      if (m[1] === "claim") mark.focus({ preventScroll: true });
    }
  }

  document.addEventListener("htmx:responseError", (event) => {
    const xhr = event.detail.xhr;
    let message = xhr.responseText;
    try {
      message = JSON.parse(xhr.responseText).detail;
    } catch (e) {
      /* not JSON: show the text */
    }
    toast(message || `Request failed (${xhr.status})`);
  });

  // A 409 on an edit carries the panel with the newer text: show it rather than an error.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 409 && event.detail.xhr.responseText.startsWith("<")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function toast(message) {
    let box = document.getElementById("toast");
    if (!box) {
      box = document.createElement("div");
      box.id = "toast";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(() => (box.hidden = true), 6000);
  }

  // --- keyboard ------------------------------------------------------------------------
  function claims() {
    return Array.from(document.querySelectorAll("#article-body .claim[data-claim]")).filter(
      (el, i, all) => all.findIndex((o) => o.dataset.claim === el.dataset.claim) === i
    );
  }

  function moveClaim(step) {
    const list = claims();
    if (!list.length) return;
    const current = list.findIndex((el) => el === document.activeElement);
    const next = list[(current + step + list.length) % list.length] || list[0];
    next.focus();
    next.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      const pop = document.getElementById("select-popover");
      if (pop) pop.hidden = true;
      if (typing) event.target.blur();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const focusedClaim = event.target.closest(".claim[data-claim]");
    if (event.key === "Enter" && focusedClaim) {
      event.preventDefault();
      openInPanel(`/claims/${focusedClaim.dataset.claim}`);
      return;
    }
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      moveClaim(event.key === "j" ? 1 : -1);
      return;
    }
    if (event.key === "?") {
      const dialog = document.getElementById("shortcuts");
      if (dialog && !dialog.open) dialog.showModal();
      return;
    }
    if (event.key === "/") {
      event.preventDefault();
      document.getElementById("q").focus();
      return;
    }
    if (event.key === "n") {
      const note = document.querySelector("#panel #note-body");
      if (note) {
        event.preventDefault();
        note.focus();
      }
      return;
    }
    const verdict = document.querySelector(`#panel .verdicts button[data-key="${CSS.escape(event.key)}"]`);
    if (verdict) {
      event.preventDefault();
      verdict.click();
      return;
    }
    // With no panel open yet, a verdict key on a focused claim opens it first.
    const verdictKeys = document.body.dataset.verdictKeys || "";
    if (focusedClaim && event.key.length === 1 && verdictKeys.includes(event.key)) {
      openInPanel(`/claims/${focusedClaim.dataset.claim}`);
    }
  });

  // After a verdict, the claim's badge in the text follows the panel's status.
  document.addEventListener("htmx:afterSwap", (event) => {
    const claimPanel = event.detail.target.querySelector && event.detail.target.querySelector(".claim-panel");
    if (!claimPanel) return;
    const id = claimPanel.dataset.claim;
    const verdict = claimPanel.dataset.verdict;
    document.querySelectorAll(`#article-body .claim[data-claim="${id}"]`).forEach((el) => {
      if (verdict) el.dataset.verdict = verdict;
      else delete el.dataset.verdict;
      el.classList.add("current");
    });
    document.querySelectorAll("#article-body .claim.current").forEach((el) => {
      if (el.dataset.claim !== id) el.classList.remove("current");
    });
  });

  document.addEventListener("DOMContentLoaded", reopenFromHash);
  window.addEventListener("hashchange", reopenFromHash);
})();
