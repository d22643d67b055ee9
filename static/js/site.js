// Một Cửa: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Elements with data-autosubmit submit their form when changed (filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (window.htmx && (el.form.hasAttribute("hx-get") || el.form.hasAttribute("hx-post"))) {
        window.htmx.trigger(el.form, "submit");
      } else {
        el.form.requestSubmit();
      }
    }
  });
})();

// Public catalog: [data-print] buttons print the page. They are rendered
// hidden, so that without JavaScript no button appears that does nothing.
(function () {
  "use strict";
  function showPrintButtons() {
    document.querySelectorAll("[data-print][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", showPrintButtons);
  } else {
    showPrintButtons();
  }
  // Search forms marked data-drop-empty leave unset filters out of the address
  // that htmx pushes (/thu-tuc/?q=... rather than ?q=...&field=&level=...).
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    var elt = detail && detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-drop-empty]") : null;
    if (!form || detail.verb !== "get" || !detail.formData) {
      return;
    }
    Array.from(detail.formData.keys()).forEach(function (key) {
      var values = detail.formData.getAll(key);
      if (values.every(function (value) { return value === ""; })) {
        detail.formData.delete(key);
      }
    });
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();

// Desk: intake and dossier
(function () {
  "use strict";
  // A refused (400) or stale (409) dossier action answers with the re-rendered
  // dossier and its message; htmx would drop error answers, so swap them in.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    var status = detail.xhr ? detail.xhr.status : 0;
    var target = detail.target;
    if ((status === 400 || status === 409) && target && target.hasAttribute &&
        target.hasAttribute("data-swap-errors")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // Any other error answer to an htmx request (a 403, 404 or 500 page, in the
  // layout: procedures/views/errors.py) replaces the page, which htmx would
  // otherwise leave as it was, so the user sees why nothing happened. Only whole
  // pages: a partial is for its own handler (conduct.js's ticks keep their form
  // and their offline queue), and a poll (the bell) does not take over the page.
  document.addEventListener("htmx:responseError", function (event) {
    var detail = event.detail;
    var xhr = detail.xhr;
    var elt = detail.elt;
    var polling = elt && elt.getAttribute && /every /.test(elt.getAttribute("hx-trigger") || "");
    if (!xhr || polling || (elt && elt.closest && elt.closest("form[data-tick]"))) {
      return;
    }
    var text = xhr.responseText || "";
    if (/^\s*<!doctype html/i.test(text)) {
      document.documentElement.innerHTML = text.replace(/^[\s\S]*?<html[^>]*>/i, "").replace(/<\/html>\s*$/i, "");
      window.scrollTo(0, 0);
    }
  });

  // Procedure picker: Arrow Down from the search box goes to the first option,
  // Arrow Up/Down move between options (they are submit buttons: Enter picks).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
      return;
    }
    var el = event.target;
    if (!el || !el.matches) {
      return;
    }
    if (el.matches("[data-option-list]")) {
      var list = document.getElementById(el.getAttribute("data-option-list"));
      var first = list ? list.querySelector("[data-option]") : null;
      if (event.key === "ArrowDown" && first) {
        event.preventDefault();
        first.focus();
      }
      return;
    }
    if (el.matches("[data-option]")) {
      var form = el.form;
      var options = form ? Array.from(form.querySelectorAll("[data-option]")) : [];
      var index = options.indexOf(el);
      event.preventDefault();
      if (event.key === "ArrowDown" && index < options.length - 1) {
        options[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        var previous = index > 0 ? options[index - 1] : form.querySelector("[data-option-list]");
        if (previous) {
          previous.focus();
        }
      }
    }
  });

  // Supplement items: "Thêm dòng" is hidden without JavaScript (the form has
  // three rows then) and adds an empty row here.
  function showAddButtons(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("[data-add-row][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }
  if (window.htmx) {
    window.htmx.onLoad(showAddButtons);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { showAddButtons(document); });
  } else {
    showAddButtons(document);
  }
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest("[data-add-row]") : null;
    if (!button) {
      return;
    }
    var rows = button.closest("[data-rows]").querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) { input.value = ""; });
    last.parentNode.appendChild(copy);
    copy.querySelector("input").focus();
  });
})();
