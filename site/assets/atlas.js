/* Emergence Atlas: sortable and filterable tables whose state lives in the URL.
 * Tables marked data-atlas-sortable sort on each cell's data-sort value (numbers
 * by numeric value, so 2.3e22 sorts as a number). The abilities table also
 * filters rows by data-* attributes from the selects of its .atlas-filters block;
 * sort column, direction and filters are kept in the query string. */
(function () {
  "use strict";

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    var raw = cell ? (cell.getAttribute("data-sort") || cell.textContent) : "";
    if (type === "number") {
      var n = parseFloat(raw);
      return isNaN(n) ? null : n;
    }
    return raw.toLowerCase();
  }

  function sortTable(table, index, direction) {
    var header = table.tHead.rows[0].cells[index];
    var type = header.getAttribute("data-type") || "text";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      if (x === null && y === null) return 0;
      if (x === null) return 1;          /* unknown values always last */
      if (y === null) return -1;
      var order = x < y ? -1 : x > y ? 1 : 0;
      return direction === "descending" ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.setAttribute("aria-sort", i === index ? direction : "none");
    });
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    params.forEach(function (value, key) { state[key] = value; });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    Object.keys(state).sort().forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function applyFilters(table, controls) {
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var visible = controls.every(function (select) {
        var want = select.value;
        return !want || row.getAttribute("data-" + select.getAttribute("data-filter")) === want;
      });
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    var counter = document.querySelector('[data-atlas-count="' + table.id + '"]');
    if (counter) counter.textContent = shown + " of " + table.tBodies[0].rows.length + " entries";
  }

  function setup(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    var stateful = Boolean(table.id);
    var state = stateful ? readState() : {};
    var filterBlock = stateful ? document.querySelector('[data-atlas-filters="' + table.id + '"]') : null;
    var controls = filterBlock ? Array.prototype.slice.call(filterBlock.querySelectorAll("select[data-filter]")) : [];

    Array.prototype.forEach.call(headers, function (th, index) {
      function activate() {
        var direction = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        sortTable(table, index, direction);
        if (stateful) {
          state.sort = th.getAttribute("data-key") || String(index);
          state.dir = direction === "ascending" ? "asc" : "desc";
          writeState(state);
        }
      }
      th.addEventListener("click", activate);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); activate(); }
      });
    });

    controls.forEach(function (select) {
      var key = select.getAttribute("data-filter");
      if (state[key]) select.value = state[key];
      select.addEventListener("change", function () {
        state[key] = select.value;
        writeState(state);
        applyFilters(table, controls);
      });
    });
    if (controls.length) applyFilters(table, controls);

    if (state.sort) {
      Array.prototype.forEach.call(headers, function (th, index) {
        if (th.getAttribute("data-key") === state.sort) {
          sortTable(table, index, state.dir === "desc" ? "descending" : "ascending");
        }
      });
    }
  }

  function init() {
    /* Material's search dialog has no accessible name of its own. */
    Array.prototype.forEach.call(document.querySelectorAll('.md-search[role="dialog"]:not([aria-label])'), function (el) {
      el.setAttribute("aria-label", "Search");
    });
    Array.prototype.forEach.call(document.querySelectorAll("table[data-atlas-sortable]"), setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
