/* Emergence Atlas: sortable and filterable tables whose state lives in the URL.
 * Tables marked data-atlas-sortable sort on each cell's data-sort value (numbers
 * by numeric value, so 2.3e22 sorts as a number). The abilities table also
 * filters rows by data-* attributes from the selects of its .atlas-filters block
 * and by any visible text from its text field; sort column, direction and
 * filters are kept in the query string. A filter value in the address that no
 * option has (?family=palmm) is kept, matches nothing and is named in a notice. */
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

  function rowText(row) {
    if (row.atlasText === undefined) row.atlasText = row.textContent.replace(/\s+/g, " ").toLowerCase();
    return row.atlasText;
  }

  function applyFilters(table, controls, textInput) {
    var shown = 0;
    var words = textInput ? textInput.value.toLowerCase().split(/\s+/).filter(Boolean) : [];
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var visible = controls.every(function (select) {
        var want = select.value;
        return !want || row.getAttribute("data-" + select.getAttribute("data-filter")) === want;
      }) && words.every(function (word) { return rowText(row).indexOf(word) !== -1; });
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
    var textInput = filterBlock ? filterBlock.querySelector("input[data-filter-text]") : null;
    var notice = stateful ? document.querySelector('[data-atlas-notice="' + table.id + '"]') : null;
    var unknown = [];

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
      if (state[key]) {
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === state[key]; });
        if (!known) {
          /* keep the unknown value visible in the control; it matches no row */
          var option = document.createElement("option");
          option.value = state[key];
          option.textContent = state[key] + " (unknown)";
          option.setAttribute("data-atlas-unknown", "");
          select.appendChild(option);
          unknown.push({ key: key, label: (select.closest("label") || select).firstChild.textContent.trim().toLowerCase(),
                         value: state[key], select: select });
        }
        select.value = state[key];
      }
      select.addEventListener("change", function () {
        state[key] = select.value;
        writeState(state);
        applyFilters(table, controls, textInput);
        showNotice();
      });
    });
    if (textInput) {
      var textKey = textInput.getAttribute("data-filter-text");
      if (state[textKey]) textInput.value = state[textKey];
      textInput.addEventListener("input", function () {
        state[textKey] = textInput.value.trim();
        writeState(state);
        applyFilters(table, controls, textInput);
      });
    }

    function showNotice() {
      if (!notice) return;
      var active = unknown.filter(function (u) { return u.select.value === u.value; });
      notice.textContent = "";
      notice.hidden = active.length === 0;
      if (!active.length) return;
      notice.appendChild(document.createTextNode(active.map(function (u) {
        return "Unknown " + u.label + " '" + u.value + "' in the address: no entry matches it.";
      }).join(" ")));
      var clear = document.createElement("button");
      clear.type = "button";
      clear.textContent = "Clear " + (active.length > 1 ? "these filters" : "this filter");
      clear.addEventListener("click", function () {
        active.forEach(function (u) { u.select.value = ""; state[u.key] = ""; });
        writeState(state);
        applyFilters(table, controls, textInput);
        showNotice();
      });
      notice.appendChild(clear);
    }
    if (controls.length || textInput) applyFilters(table, controls, textInput);
    showNotice();

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
