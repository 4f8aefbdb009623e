// Search box of the network map: highlights the contacts whose job title, topic or category contains the
// typed text (case-insensitive), dims the rest and shows how many match. The query and the data are only
// compared as strings and shown with textContent: nothing typed or read from the data becomes markup.
(function () {
  "use strict";
  var KEY = __SEARCH_KEY_COLUMN__;
  var plot = document.getElementById("network-map");
  var input = document.getElementById("network-map-search");
  var count = document.getElementById("network-map-search-count");
  if (!plot || !input || !count || !window.Plotly) { return; }

  function pointTraces() {
    var indices = [];
    (plot.data || []).forEach(function (trace, index) {
      if (trace.customdata && trace.customdata.length) { indices.push(index); }
    });
    return indices;
  }

  function search() {
    var query = input.value.trim().toLowerCase();
    var traces = pointTraces();
    var matches = 0;
    var total = 0;
    var selected = traces.map(function (index) {
      var rows = plot.data[index].customdata;
      total += rows.length;
      if (!query) { return null; }
      var hits = [];
      for (var i = 0; i < rows.length; i++) {
        if (String(rows[i][KEY]).indexOf(query) !== -1) { hits.push(i); }
      }
      matches += hits.length;
      return hits;
    });
    Plotly.restyle(plot, { selectedpoints: selected }, traces);
    count.textContent = query ? matches + " of " + total + " contacts match" : "";
    plot.setAttribute("data-search-matches", query ? String(matches) : "");
  }

  input.addEventListener("input", search);
})();
