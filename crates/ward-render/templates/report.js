(function () {
  "use strict";
  // Filters of the risk register: each <select data-filter="KEY"> keeps the
  // rows whose data-KEY attribute (space-separated words) holds its value.
  var table = document.getElementById("risk-register");
  var bar = document.getElementById("register-filters");
  if (!table || !bar) {
    return;
  }
  bar.hidden = false;
  var selects = bar.querySelectorAll("select[data-filter]");
  var count = document.getElementById("register-count");
  var rows = table.tBodies[0].rows;
  function apply() {
    var shown = 0;
    for (var i = 0; i < rows.length; i += 1) {
      var row = rows[i];
      var keep = true;
      for (var j = 0; j < selects.length; j += 1) {
        var want = selects[j].value;
        var have = (row.getAttribute("data-" + selects[j].getAttribute("data-filter")) || "").split(" ");
        if (want && have.indexOf(want) === -1) {
          keep = false;
        }
      }
      row.classList.toggle("filtered-out", !keep);
      if (keep) {
        shown += 1;
      }
    }
    count.textContent = shown + " of " + rows.length + " threats shown";
  }
  for (var k = 0; k < selects.length; k += 1) {
    selects[k].addEventListener("change", apply);
  }
  apply();
})();
