// The progress of an export built in the background: asks the server every two seconds until
// the file is ready (then shows the download link) or has failed. Loaded as a static file: the
// site's Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  var page = document.getElementById("export-job");
  if (!page || !window.fetch) {
    return;
  }
  var url = page.getAttribute("data-status-url");
  var DELAY = 2000;

  function field(name) {
    return page.querySelector('[data-field="' + name + '"]');
  }

  function show(state) {
    var label = field("label");
    label.textContent = state.label;
    label.className = "badge state-" + state.status;
    field("progress").textContent = state.progress_text;
    field("bar").value = state.percent;
    field("bar").textContent = state.percent + "%";
    var error = field("error");
    error.textContent = state.error;
    error.hidden = !state.error;
    var download = field("download");
    if (state.download_url) {
      download.href = state.download_url;
      download.hidden = false;
    }
    field("wait").hidden = state.status === "done" || state.status === "failed";
    page.setAttribute("data-status", state.status);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.status !== "done" && state.status !== "failed") {
          window.setTimeout(poll, DELAY);
        }
      })
      .catch(function () {
        window.setTimeout(poll, DELAY * 3);
      });
  }

  var status = page.getAttribute("data-status");
  if (status !== "done" && status !== "failed") {
    window.setTimeout(poll, DELAY);
  }
})();
