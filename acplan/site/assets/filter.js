// The plan page's filter: by dimension, unit and words. Without JavaScript the page lists every item.
(function () {
  "use strict";
  var form = document.querySelector("form.filter");
  var table = document.querySelector("table[data-filter]");
  if (!form || !table) { return; }
  form.hidden = false;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = form.querySelector(".count");
  function apply() {
    var dim = form.dimension.value, unit = form.unit.value, words = form.q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!dim || row.dataset.dimension === dim) && (!unit || row.dataset.unit === unit) &&
               (!words || row.textContent.toLowerCase().indexOf(words) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = count.dataset.template.replace("{n}", shown).replace("{total}", rows.length);
    var params = new URLSearchParams();
    if (dim) { params.set("dimension", dim); }
    if (unit) { params.set("unit", unit); }
    if (words) { params.set("q", words); }
    var query = params.toString();
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }
  var given = new URLSearchParams(location.search);
  form.dimension.value = given.get("dimension") || "";
  form.unit.value = given.get("unit") || "";
  form.q.value = given.get("q") || "";
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
}());
