// Names on the network map follow the zoom: zoomed in ZOOM_FOR_TOPICS times or more, the map shows the finer
// topic names; zoomed back out, the category names. The level buttons still switch by hand (until the next zoom).
(function () {
  "use strict";
  var ZOOM_FOR_TOPICS = __ZOOM_FOR_TOPICS__;
  var plot = document.getElementById("network-map");
  if (!plot || !window.Plotly || !plot.layout || !plot.layout.updatemenus) { return; }
  var buttons = plot.layout.updatemenus[0].buttons;
  var fullSpan = plot.layout.xaxis.range[1] - plot.layout.xaxis.range[0];

  plot.on("plotly_relayout", function (change) {
    var zoomed = "xaxis.range[0]" in change || "xaxis.range" in change || "xaxis.autorange" in change;
    if (!zoomed) { return; }  // our own relayout below, a button or a legend click
    var range = plot.layout.xaxis.range;
    var level = fullSpan / (range[1] - range[0]) >= ZOOM_FOR_TOPICS ? 1 : 0;
    if (plot.layout.updatemenus[0].active === level) { return; }
    Plotly.relayout(plot, { annotations: buttons[level].args[0].annotations, "updatemenus[0].active": level });
  });
})();
