/* Attendance on the day: filter the list by name as one types. The ticks themselves are saved by htmx. */
(function () {
  "use strict";
  function setUp() {
    var input = document.querySelector("[data-attendance-filter]");
    var count = document.querySelector("[data-attendance-count]");
    if (!input) { return; }
    var rows = Array.prototype.slice.call(document.querySelectorAll(".attendance-list li[data-name]"));
    input.addEventListener("input", function () {
      var wanted = input.value.trim().toLowerCase();
      var shown = 0;
      rows.forEach(function (row) {
        var match = !wanted || row.getAttribute("data-name").indexOf(wanted) !== -1;
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      if (count) { count.textContent = String(shown); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
