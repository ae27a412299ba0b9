/* Draws every chart of the page with Plotly (served locally, static/vendor/plotly.min.js).
 *
 * Each chart is an element with data-chart="<id>"; its figure ({data, layout}) is in the JSON
 * script element of that id, written by Django's json_script. Clicking a point opens the
 * address in its customdata. No inline script anywhere: the page's Content-Security-Policy
 * allows scripts from this site only. */
(function () {
  "use strict";

  function locale() {
    var lang = (document.documentElement.getAttribute("lang") || "vi").toLowerCase();
    return lang.indexOf("vi") === 0 ? "vi" : "en";
  }

  function urlOf(point) {
    var url = point.customdata;
    if (url === undefined && point.data && Array.isArray(point.data.customdata)) {
      // Heatmaps: customdata is a grid, indexed [row][column].
      var index = point.pointIndex || point.pointNumber;
      if (Array.isArray(index)) {
        var row = point.data.customdata[index[0]];
        url = row ? row[index[1]] : undefined;
      }
    }
    if (Array.isArray(url)) {
      url = url[0];
    }
    // Only addresses on this site.
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" ? url : null;
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    var config = {
      locale: locale(),
      displaylogo: false,
      responsive: true,
      modeBarButtonsToRemove: ["select2d", "lasso2d", "zoom2d", "pan2d", "zoomIn2d",
        "zoomOut2d", "autoScale2d", "resetScale2d"],
      toImageButtonOptions: {format: "png", scale: 2}
    };
    window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
      element.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        var url = point ? urlOf(point) : null;
        if (url) {
          window.location.assign(url);
        }
      });
    });
  }

  function autosubmit(form) {
    var selects = form.querySelectorAll("select");
    for (var i = 0; i < selects.length; i += 1) {
      selects[i].addEventListener("change", function () {
        form.submit();
      });
    }
  }

  function start() {
    var forms = document.querySelectorAll("form[data-autosubmit]");
    for (var i = 0; i < forms.length; i += 1) {
      autosubmit(forms[i]);
    }
    if (!window.Plotly) {
      return;
    }
    var charts = document.querySelectorAll("[data-chart]");
    for (var j = 0; j < charts.length; j += 1) {
      draw(charts[j]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
