// The reception screen (templates/accueil/includes/screen.html): keyboard shortcuts shown on screen, the search
// among the other reasons, and focus back on the reasons after htmx swaps the screen. Works without it too.
(function () {
  "use strict";

  function typing(target) {
    return target.matches("input[type=text], input[type=search], input[type=datetime-local], textarea, select");
  }

  function form() {
    return document.querySelector("[data-visit-form]");
  }

  // Back to the form as the server draws it fresh: also after a visit is logged (the « visit-logged » event of the
  // htmx answer, accueil/views.py), which then brings only the next token.
  function clear(visitForm) {
    visitForm.reset();
    visitForm.querySelectorAll("[data-motif-list] li").forEach(function (item) {
      item.hidden = false;
    });
    visitForm.querySelectorAll("details").forEach(function (details) {
      details.open = false;
    });
    var first = visitForm.querySelector("[data-shortcut='1']");
    if (first) first.focus();
  }

  document.addEventListener("visit-logged", function () {
    var visitForm = form();
    if (visitForm) clear(visitForm);
  });

  document.addEventListener("keydown", function (event) {
    var visitForm = form();
    if (!visitForm || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (event.key === "Escape") {
      clear(visitForm);
      return;
    }
    if (event.key === "Enter" && visitForm.contains(target) && !target.matches("textarea, button, summary, a")) {
      event.preventDefault();
      visitForm.requestSubmit();
      return;
    }
    if (typing(target)) return;
    if (/^[1-9]$/.test(event.key)) {
      var box = visitForm.querySelector("[data-shortcut='" + event.key + "']");
      if (box) {
        event.preventDefault();
        box.checked = !box.checked;
        box.focus();
      }
    } else if (event.key === "/") {
      var others = visitForm.querySelector(".reception__others");
      var search = visitForm.querySelector("[data-motif-search]");
      if (others && search) {
        event.preventDefault();
        others.open = true;
        search.focus();
      }
    }
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-motif-search]")) return;
    var words = event.target.value.trim().toLowerCase();
    document.querySelectorAll("[data-motif-list] li").forEach(function (item) {
      item.hidden = words !== "" && item.getAttribute("data-motif-label").indexOf(words) === -1;
    });
  });

  // After a visit is posted (not after the partner field's suggestions arrive, static/js/combobox.js).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (!event.detail.requestConfig || event.detail.requestConfig.verb !== "post") return;
    var first = document.querySelector("[data-shortcut='1']");
    if (first) first.focus();
  });
})();
