// Client-side sorting of tables with class "sortable": a click on a column
// head sorts the rows by that column's data-sort values (numbers; empty
// sorts last) or text. Without JavaScript the heads are links to the
// server's ?sort= order, or plain text.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function (ev) {
        ev.preventDefault();
        var asc = th.getAttribute("aria-sort") === "descending" ||
          (th.getAttribute("aria-sort") !== "ascending" && !th.classList.contains("num"));
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        function key(row) {
          var cell = row.cells[col];
          var v = cell.getAttribute("data-sort");
          if (v === null) return cell.textContent.trim();
          return v === "" ? null : parseFloat(v);
        }
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x === null || y === null) return x === y ? 0 : (x === null ? 1 : -1);
          var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
          return asc ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
});
