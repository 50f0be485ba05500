// "Select all on this page" for the decision pages. The box is hidden in the page and shown here, so
// that nobody sees a control that does nothing without JavaScript; the server-side choice "every value
// matching the filters" works without it.
(function () {
  "use strict";

  function boxesOf(form) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][name="values"][form="' + form + '"]')
    );
  }

  function setUp(selectAll) {
    var form = selectAll.getAttribute("data-select-all");
    var wrapper = selectAll.closest("[hidden]");
    if (wrapper) {
      wrapper.removeAttribute("hidden");
    }
    function refresh() {
      var boxes = boxesOf(form);
      var ticked = boxes.filter(function (box) { return box.checked; }).length;
      selectAll.checked = boxes.length > 0 && ticked === boxes.length;
      selectAll.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    selectAll.addEventListener("change", function () {
      boxesOf(form).forEach(function (box) { box.checked = selectAll.checked; });
    });
    document.addEventListener("change", function (event) {
      if (event.target !== selectAll && event.target.getAttribute("form") === form) {
        refresh();
      }
    });
    refresh();
  }

  function start() {
    document.querySelectorAll("[data-select-all]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
