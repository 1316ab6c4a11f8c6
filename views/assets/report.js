/* sourcing-graph report: sort a table by clicking (or pressing Enter on) a column header.
 * Cells are compared by their data-value attribute (numbers) or their textContent; rows are moved,
 * never rebuilt, so no markup is ever parsed. */
(function () {
  "use strict";

  function key(cell) {
    var raw = cell.getAttribute("data-value");
    if (raw !== null && raw !== "" && !isNaN(Number(raw))) return { num: Number(raw), text: "" };
    return { num: null, text: cell.textContent.trim() };
  }

  function compare(a, b) {
    if (a.num !== null && b.num !== null) return a.num - b.num;
    if (a.num !== null) return -1;
    if (b.num !== null) return 1;
    return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
  }

  function sortBy(table, column, header) {
    var body = table.tBodies[0];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: key(row.cells[column]), position: position };
    });
    rows.sort(function (a, b) {
      var order = compare(a.key, b.key);
      if (!ascending) order = -order;
      return order || a.position - b.position;
    });
    rows.forEach(function (entry) {
      body.appendChild(entry.row);
    });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sg-sortable"), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      header.tabIndex = 0;
      header.addEventListener("click", function () {
        sortBy(table, column, header);
      });
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortBy(table, column, header);
        }
      });
    });
  });
})();
