// Reading Room: the few behaviours htmx does not cover. No inline scripts (CSP script-src 'self').
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  const body = () => document.getElementById("article-body");
  const panel = () => document.getElementById("panel");
  const articleEl = () => document.querySelector("article.article");

  function openInPanel(url, focusPanel) {
    if (window.htmx && panel()) {
      if (focusPanel) pendingFocus = "#panel-title";
      window.htmx.ajax("GET", url, { target: "#panel" });
    } else {
      window.location.href = url;
    }
  }

  // --- focus across swaps ------------------------------------------------------------------
  // A swap replaces the element that had focus (a verdict button, a claim in a re-rendered
  // block): focus goes back to the element with the same id, or where a request asked; a
  // control of the panel without an id (a form's button) hands it to the panel's heading.
  let pendingFocus = null;
  let focusedId = null;
  let focusedInPanel = false;

  document.addEventListener("htmx:beforeRequest", (event) => {
    // Where the reader was when the panel's load began (see recordPanel).
    if (event.detail.xhr) event.detail.xhr.addressAtStart = window.location.hash;
    const active = document.activeElement;
    focusedId = active && active.id ? active.id : null;
    focusedInPanel = Boolean(active && active.closest && active.closest("#panel"));
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    markCurrentClaim();
    if (event.detail.target === panel()) recordPanel(event.detail.xhr);
    const lost = !document.activeElement || document.activeElement === document.body;
    const wanted = pendingFocus ? document.querySelector(pendingFocus) : null;
    pendingFocus = null;
    if (wanted) {
      wanted.focus({ preventScroll: true });
    } else if (lost) {
      const again = focusedId ? document.getElementById(focusedId) : null;
      const heading = focusedInPanel ? document.querySelector("#panel-title") : null;
      if (again || heading) (again || heading).focus({ preventScroll: true });
    }
  });

  // --- the panel --------------------------------------------------------------------------
  // The claim the panel shows is marked in the text; closing the panel puts the hint back
  // and focus on that claim.
  function openClaimId() {
    const open = document.querySelector("#panel .claim-panel[data-claim]");
    return open ? open.dataset.claim : null;
  }

  function markCurrentClaim() {
    const id = openClaimId();
    document.querySelectorAll("#article-body .claim.current").forEach((el) => {
      if (el.dataset.claim !== id) el.classList.remove("current");
    });
    if (id) {
      document
        .querySelectorAll(`#article-body .claim[data-claim="${id}"]`)
        .forEach((el) => el.classList.add("current"));
    }
  }

  function closePanel() {
    const box = panel();
    const hint = document.getElementById("panel-hint");
    if (!box || !hint || !box.querySelector(".panel-head")) return false;
    const claimId = openClaimId();
    const noteMark = box.querySelector(".annotation-panel")
      ? document.querySelector(`#article-body mark.ann[data-annotation="${box.firstElementChild.dataset.annotation}"]`)
      : null;
    box.replaceChildren(hint.content.cloneNode(true));
    markCurrentClaim();
    const back = claimId ? document.getElementById(`claim-${claimId}`) : null;
    if (back) back.focus();
    else if (noteMark) {
      noteMark.setAttribute("tabindex", "-1");
      noteMark.focus();
    }
    if (/^#open-/.test(window.location.hash)) {
      history.replaceState({ panel: "" }, "", window.location.pathname + window.location.search);
    }
    return true;
  }

  // --- the panel in the address ----------------------------------------------------------
  // The claim or note the panel shows is named in the address (#open-claim-12, #open-ann-7)
  // and each one opened is a step of the browser's history: Back and Forward show the panel
  // the address names again, or none.
  let loadingHash = null;

  function panelHash() {
    const claim = openClaimId();
    if (claim) return `#open-claim-${claim}`;
    const note = document.querySelector("#panel .annotation-panel[data-annotation]");
    return note ? `#open-ann-${note.dataset.annotation}` : "";
  }

  function recordPanel(xhr) {
    loadingHash = null;
    const hash = panelHash();
    if (!hash || hash === window.location.hash || !articleEl()) return;
    // Back or Forward while it loaded: the address says where the reader is now, and the
    // panel it names is on its way; this one must not become a new step.
    if (xhr && "addressAtStart" in xhr && xhr.addressAtStart !== window.location.hash) return;
    if (!history.state || !("panel" in history.state)) {
      const before = /^#open-/.test(window.location.hash) ? window.location.hash : "";
      history.replaceState({ panel: before }, "", window.location.href);
    }
    history.pushState({ panel: hash }, "", window.location.pathname + window.location.search + hash);
  }

  function showAddressed(hash) {
    if (hash === panelHash() || hash === loadingHash) return;
    if (hash) reopenFromHash();
    else closePanel();
  }

  window.addEventListener("popstate", (event) => {
    if (event.state && "panel" in event.state) showAddressed(event.state.panel);
  });
  // A link to a panel of this page, or an address typed.
  window.addEventListener("hashchange", () => {
    if (/^#open-/.test(window.location.hash)) showAddressed(window.location.hash);
  });

  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-close-panel]")) closePanel();
    // A link to the panel already named in the address opens it again (no hashchange).
    const again = event.target.closest("a[href^='#open-']");
    if (again && again.getAttribute("href") === window.location.hash) reopenFromHash();
  });

  // --- reading modes and toggles ------------------------------------------------------------
  document.addEventListener("change", (event) => {
    const mode = event.target.closest("input[name='mode']");
    if (mode && mode.checked) {
      document.body.className = document.body.className.replace(/\bmode-\w+/, "mode-" + mode.value);
    }
    const box = event.target.closest("input[data-toggle]");
    if (box && box.dataset.toggle === "boilerplate") {
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

  // Annotate the selection, or correct the machine there (a missed claim or entity, or
  // the extent of the claim whose panel is open).
  document.addEventListener("click", (event) => {
    const button = event.target.closest("#annotate-selection, #correct-selection");
    if (!button) return;
    const pop = document.getElementById("select-popover");
    const id = articleEl().dataset.article;
    const span = `start=${pop.dataset.start}&end=${pop.dataset.end}&offsets=utf16`;
    if (button.id === "annotate-selection") {
      pendingFocus = "#note-body";
      openInPanel(`/articles/${id}/annotate?${span}`);
    } else {
      const claim = openClaimId();
      openInPanel(`/articles/${id}/correct?${span}${claim ? `&claim=${claim}` : ""}`, true);
    }
    pop.hidden = true;
  });

  // A note's highlight opens the note. Notes and claims nest: the inner one clicked opens,
  // and a note inside a claim keeps the claim's own request from starting.
  document.addEventListener(
    "click",
    (event) => {
      const mark = event.target.closest("#article-body mark.ann[data-annotation]");
      if (!mark || event.target.closest("a")) return;
      const claim = event.target.closest(".claim");
      if (claim && mark.contains(claim)) return;
      event.stopPropagation();
      openInPanel(`/annotations/${mark.dataset.annotation}`, true);
    },
    true
  );

  // A name inside a claim or a note is part of what is read there: a click opens the
  // innermost claim or note, as a click on its other words does. The name's page stays one
  // step away: a Ctrl/⌘/Shift-click, Enter on the name focused with Tab, or the panel's list
  // of names.
  document.addEventListener(
    "click",
    (event) => {
      const name = event.target.closest("#article-body a.ent");
      const holder = name && name.closest(".claim[data-claim], mark.ann[data-annotation]");
      if (!holder) return;
      event.stopPropagation();
      const follow = event.detail === 0 || event.ctrlKey || event.metaKey || event.shiftKey;
      if (follow) return;
      event.preventDefault();
      openInPanel(
        holder.dataset.claim ? `/claims/${holder.dataset.claim}` : `/annotations/${holder.dataset.annotation}`,
        Boolean(holder.dataset.annotation)
      );
    },
    true
  );

  // `#open-claim-12` / `#open-ann-7`: open that panel and bring its text into view.
  function reopenFromHash() {
    const m = /^#open-(claim|ann)-(\d+)$/.exec(window.location.hash);
    if (!m || !panel()) return;
    loadingHash = window.location.hash;
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

  // An error stays until the analyst dismisses it (its button, or Esc) or a later action
  // succeeds: a message that outlives the failure it reports misleads.
  function toast(message) {
    let box = document.getElementById("toast");
    if (!box) {
      box = document.createElement("div");
      box.id = "toast";
      box.setAttribute("role", "alert");
      const text = document.createElement("span");
      text.className = "toast-text";
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "toast-dismiss";
      dismiss.setAttribute("aria-label", "Dismiss this message");
      dismiss.textContent = "×";
      box.append(text, dismiss);
      document.body.appendChild(box);
    }
    box.querySelector(".toast-text").textContent = message;
    box.hidden = false;
  }

  function dismissToast() {
    const box = document.getElementById("toast");
    if (!box || box.hidden) return false;
    box.hidden = true;
    return true;
  }

  document.addEventListener("click", (event) => {
    if (event.target.closest("#toast .toast-dismiss")) dismissToast();
  });

  // A request that changes something, or shows another panel, and succeeds: what failed
  // before no longer stands.
  document.addEventListener("htmx:afterRequest", (event) => {
    const detail = event.detail;
    const verb = (detail.requestConfig && detail.requestConfig.verb) || "get";
    const target = detail.target;
    if (target && target.id === "panel") loadingHash = null;
    if (detail.successful && (verb !== "get" || (target && target.id === "panel"))) dismissToast();
  });

  // --- the claim picker (ARIA combobox with a listbox popup) ------------------------------
  function picker(input) {
    const list = document.getElementById(input.getAttribute("aria-controls"));
    const options = () => Array.from(list.querySelectorAll("[role='option']:not([aria-disabled='true'])"));
    const active = () => list.querySelector("[role='option'][aria-selected='true']");
    return {
      list,
      options,
      active,
      open(show) {
        list.hidden = !show;
        input.setAttribute("aria-expanded", show ? "true" : "false");
        if (!show) input.removeAttribute("aria-activedescendant");
      },
      move(step) {
        const all = options();
        if (!all.length) return;
        const at = all.indexOf(active());
        const next = all[(at + step + all.length) % all.length] || all[0];
        all.forEach((o) => o.setAttribute("aria-selected", o === next ? "true" : "false"));
        input.setAttribute("aria-activedescendant", next.id);
        next.scrollIntoView({ block: "nearest" });
      },
      choose(option) {
        const form = input.form;
        form.querySelector("input[name='target']").value = option.dataset.value;
        input.value = option.dataset.label;
        const chosen = form.querySelector(".chosen");
        if (chosen) chosen.textContent = `Linking to “${option.dataset.label}” in ${option.dataset.where}.`;
        this.open(false);
      },
    };
  }

  document.addEventListener("htmx:afterSwap", (event) => {
    const list = event.detail.target;
    if (list && list.getAttribute && list.getAttribute("role") === "listbox") {
      const input = document.querySelector(`[aria-controls="${list.id}"]`);
      if (input) picker(input).open(list.children.length > 0 && document.activeElement === input);
    }
  });

  document.addEventListener("input", (event) => {
    const input = event.target.closest("input[role='combobox']");
    if (!input) return;
    // What was chosen no longer stands once the words change.
    input.form.querySelector("input[name='target']").value = "";
    const chosen = input.form.querySelector(".chosen");
    if (chosen) chosen.textContent = "";
  });

  document.addEventListener("click", (event) => {
    const option = event.target.closest("[role='listbox'] [role='option']");
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    const input = document.querySelector(`[aria-controls="${option.parentElement.id}"]`);
    if (input) {
      picker(input).choose(option);
      input.focus();
    }
  });

  document.addEventListener("focusout", (event) => {
    const input = event.target.closest && event.target.closest("input[role='combobox']");
    if (input) setTimeout(() => {
      if (!input.parentElement.contains(document.activeElement)) picker(input).open(false);
    }, 150);
  });

  // The link form goes only with a claim chosen, or words that name one (claim:12,
  // annotation:7, a pasted address: the input's data-reference). With none chosen, the one
  // option offered is taken; with several or none, the analyst is asked to choose.
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const input = form.querySelector("input[role='combobox']");
      if (!input || form.querySelector("input[name='target']").value) return;
      if (input.dataset.reference && new RegExp(input.dataset.reference).test(input.value)) return;
      const p = picker(input);
      const offered = p.options();
      if (offered.length === 1) {
        p.choose(offered[0]);
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      const chosen = form.querySelector(".chosen");
      if (chosen) chosen.textContent = offered.length ? "Choose a claim from the list first." : "Type words of a claim, then choose it from the list.";
      p.open(offered.length > 0);
      input.focus();
    },
    true
  );

  function comboboxKey(event, input) {
    const p = picker(input);
    const expanded = input.getAttribute("aria-expanded") === "true";
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!expanded && p.list.children.length) p.open(true);
      p.move(event.key === "ArrowDown" ? 1 : -1);
      return true;
    }
    if (event.key === "Enter" && expanded && p.active()) {
      event.preventDefault();
      p.choose(p.active());
      return true;
    }
    if (event.key === "Escape" && expanded) {
      event.preventDefault();
      p.open(false);
      return true;
    }
    return false;
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

  function verdictFor(key) {
    const keys = document.body.dataset.verdictKeys || "";
    const names = (document.body.dataset.verdictNames || "").split(" ");
    const at = key.length === 1 ? keys.indexOf(key) : -1;
    return at >= 0 ? names[at] : null;
  }

  function revealAndFocus(selector) {
    const field = document.querySelector(selector);
    if (!field) return false;
    const details = field.closest("details");
    if (details) details.open = true;
    field.focus();
    return true;
  }

  document.addEventListener("keydown", (event) => {
    const combobox = event.target.closest && event.target.closest("input[role='combobox']");
    if (combobox && comboboxKey(event, combobox)) return;
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "Escape") {
      const pop = document.getElementById("select-popover");
      if (pop && !pop.hidden) {
        pop.hidden = true;
        return;
      }
      if (dismissToast()) return;
      if (document.querySelector("dialog[open]")) return; // the dialog closes itself
      if (typing) {
        event.target.blur();
        return;
      }
      if (closePanel()) event.preventDefault();
      return;
    }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const focusedClaim = event.target.closest("#article-body .claim[data-claim]");
    if (event.key === "Enter" && focusedClaim) {
      event.preventDefault();
      openInPanel(`/claims/${focusedClaim.dataset.claim}`, true);
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
      if (revealAndFocus("#panel #note-body") || revealAndFocus("#panel .annotation details.reply textarea")) {
        event.preventDefault();
      }
      return;
    }
    if (event.key === "l") {
      if (revealAndFocus("#panel #link-search")) event.preventDefault();
      return;
    }
    // A verdict key sets the analyst's verdict on the focused claim, else the open one.
    const verdict = verdictFor(event.key);
    const claimId = focusedClaim ? focusedClaim.dataset.claim : openClaimId();
    if (verdict && claimId && window.htmx) {
      event.preventDefault();
      window.htmx.ajax("PUT", `/claims/${claimId}/verdict`, {
        target: "#panel",
        values: { verdict: verdict },
      });
    }
  });

  document.addEventListener("DOMContentLoaded", reopenFromHash);
})();
