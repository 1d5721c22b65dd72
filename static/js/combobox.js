// A text field with suggestions from the server (templates/accueil/includes/partner_field.html), after the WAI-ARIA
// Authoring Practices' « combobox with list autocomplete »: htmx fetches the options as one types (hx-get on the
// input); ArrowDown and ArrowUp move among them (aria-activedescendant, focus stays in the field), Enter or a click
// chooses one, Escape closes the list. Without this file the field is a plain text field that the server reads.
(function () {
  "use strict";

  function listOf(input) {
    return input.closest("[data-combobox]").querySelector("[data-combobox-list]");
  }

  function options(list) {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }

  function show(input, list, open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) activate(input, list, null);
  }

  function activate(input, list, option) {
    list.querySelectorAll("[role=option]").forEach(function (item) {
      item.setAttribute("aria-selected", item === option ? "true" : "false");
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(input, list, option) {
    input.value = option.getAttribute("data-value");
    show(input, list, false);
    input.focus();
  }

  // Capture: before the page's own shortcuts (static/js/accueil.js submits on Enter, clears the form on Escape).
  document.addEventListener(
    "keydown",
    function (event) {
      var input = event.target;
      if (!(input instanceof Element) || !input.matches("[data-combobox-input]")) return;
      var list = listOf(input);
      var items = options(list);
      var current = list.querySelector("[role=option][aria-selected=true]");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        show(input, list, true);
        var index = items.indexOf(current);
        var next = event.key === "ArrowDown" ? (index + 1) % items.length : index <= 0 ? items.length - 1 : index - 1;
        activate(input, list, items[next]);
      } else if (event.key === "Enter" && !list.hidden && current) {
        event.preventDefault();
        event.stopImmediatePropagation();
        choose(input, list, current);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        event.stopImmediatePropagation();
        show(input, list, false);
      }
    },
    true
  );

  // A press on an option keeps the focus in the field (the list would close on blur before the click lands).
  document.addEventListener("mousedown", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-combobox-list]")) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    var option = event.target instanceof Element && event.target.closest("[data-combobox-list] [role=option]");
    if (!option || option.getAttribute("aria-disabled") === "true") return;
    var input = option.closest("[data-combobox]").querySelector("[data-combobox-input]");
    choose(input, option.closest("[data-combobox-list]"), option);
  });

  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input instanceof Element && input.matches("[data-combobox-input]")) show(input, listOf(input), false);
  });

  // New suggestions: open the list when there are some, and say how many (the status region is polite).
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail.target;
    if (!(list instanceof Element) || !list.matches("[data-combobox-list]")) return;
    var root = list.closest("[data-combobox]");
    var input = root.querySelector("[data-combobox-input]");
    var count = options(list).length;
    var any = list.querySelector("[role=option]") !== null;
    show(input, list, any && document.activeElement === input);
    var status = root.querySelector("[data-combobox-status]");
    if (status) {
      status.textContent = !any
        ? ""
        : count === 0
          ? "Aucune suggestion."
          : count + (count > 1 ? " suggestions" : " suggestion") + " : flèche bas pour les parcourir.";
    }
  });
})();
