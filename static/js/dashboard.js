// Leaders' dashboard: show only the fields of the chosen kind of period. Without
// this file every field is shown and the server reads only the chosen kind's
// (desk/forms.py DashboardFilterForm). The fields are marked
// data-period-kinds="month", "quarter year", ...; the select data-period-kind.
(function () {
  "use strict";
  function showFieldsOf(select) {
    var form = select.form;
    if (!form) {
      return;
    }
    form.querySelectorAll("[data-period-kinds]").forEach(function (field) {
      var shown = field.getAttribute("data-period-kinds").split(" ").indexOf(select.value) !== -1;
      field.hidden = !shown;
      // Hidden fields are not sent either, so the address keeps only what counts.
      field.querySelectorAll("input, select").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }
  function setUp() {
    document.querySelectorAll("select[data-period-kind]").forEach(showFieldsOf);
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el && el.matches && el.matches("select[data-period-kind]")) {
      showFieldsOf(el);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
