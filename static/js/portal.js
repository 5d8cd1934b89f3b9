// The portal's only script, loaded from static/ (the Content-Security-Policy allows no inline
// script and no inline event handlers). A form with data-confirm asks before it is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// On a phone every table becomes one card per row (static/css/portal.css); each cell then
// shows its column's name, copied here from the table head.
document.querySelectorAll("table").forEach(function (table) {
  var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  if (!heads.length) { return; }
  table.querySelectorAll("tbody tr").forEach(function (row) {
    Array.prototype.forEach.call(row.children, function (cell, i) {
      if (i > 0 && heads[i] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
        cell.setAttribute("data-label", heads[i]);
      }
    });
  });
});

// A table wider than its box scrolls inside it (.table-wrap); a keyboard must be able to scroll
// it too (WCAG 2.1.1): such a box takes the focus and is named after the table's heading.
function scrollableTables() {
  document.querySelectorAll(".table-wrap").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth) {
      if (!box.hasAttribute("tabindex")) {
        var heading = box.previousElementSibling;
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent.trim()
          : document.title.split(" · ")[0]);
      }
    } else if (box.getAttribute("role") === "region") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
scrollableTables();
window.addEventListener("resize", scrollableTables);
document.addEventListener("htmx:afterSettle", scrollableTables);

// A record page's print button (templates/_print.html): shown only where this script runs.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.closest(".print-action").hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
