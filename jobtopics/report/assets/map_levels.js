// Names on the network map follow the zoom: zoomed in ZOOM_FOR_TOPICS times or more, the map shows the finer
// topic names (every topic's, laid out for that zoom: layout.meta); zoomed back out, the category names. The
// level buttons still switch by hand (until the next zoom).
(function () {
  "use strict";
  var ZOOM_FOR_TOPICS = __ZOOM_FOR_TOPICS__;
  var plot = document.getElementById("network-map");
  if (!plot || !window.Plotly || !plot.layout || !plot.layout.updatemenus) { return; }
  var levels = [plot.layout.updatemenus[0].buttons[0].args[0].annotations,
                (plot.layout.meta || {}).__ZOOMED_TOPIC_LABELS__ || plot.layout.updatemenus[0].buttons[1].args[0].annotations];
  var fullSpan = plot.layout.xaxis.range[1] - plot.layout.xaxis.range[0];
  var zoomLevel = 0;

  plot.on("plotly_relayout", function (change) {
    var zoomed = "xaxis.range[0]" in change || "xaxis.range" in change || "xaxis.autorange" in change;
    if (!zoomed) { return; }  // our own relayout below, a button or a legend click
    var range = plot.layout.xaxis.range;
    var level = fullSpan / (range[1] - range[0]) >= ZOOM_FOR_TOPICS ? 1 : 0;
    if (level === zoomLevel && plot.layout.updatemenus[0].active === level) { return; }
    zoomLevel = level;
    Plotly.relayout(plot, { annotations: levels[level], "updatemenus[0].active": level });
  });
})();
