/* Reporting grid: after a cell is saved in place (htmx swaps the cell), the focus would fall to <body>,
 * since the button that had it is gone. Move it to what changed instead: the first field in error, else
 * the cell's message ("Saved."), else the cell itself. After a save without JavaScript the page comes
 * back on #cell-…: the same element gets the focus. No inline script: loaded from static files. */
(function () {
  "use strict";

  var CELL = /^cell-\d+-\d+$/;

  function focusTarget(cell) {
    return (
      cell.querySelector("[aria-invalid='true']") ||
      cell.querySelector(".errorlist[role='alert']") ||
      cell.querySelector(".cell-message") ||
      cell
    );
  }

  function moveFocus(cell) {
    var target = focusTarget(cell);
    if (!target.matches("input, textarea, select, button, summary, a[href]") && !target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var cell = event.detail && event.detail.target;
    if (cell && cell.id && CELL.test(cell.id)) {
      moveFocus(cell);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var id = window.location.hash.slice(1);
    var cell = CELL.test(id) ? document.getElementById(id) : null;
    if (cell) {
      moveFocus(cell);
    }
  });
})();
