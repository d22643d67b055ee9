// Một Cửa: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Elements with data-autosubmit submit their form when changed (filters).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("[data-autosubmit]") && el.form) {
      if (window.htmx && el.form.hasAttribute("hx-get")) {
        window.htmx.trigger(el.form, "submit");
      } else {
        el.form.requestSubmit();
      }
    }
  });
})();
