// The progress bar of a file checked in the background: asks the server every second how far
// the check has gone and reloads the page when it is over.
(function () {
  "use strict";

  var panel = document.getElementById("import-progress");
  if (!panel) {
    return;
  }
  var bar = panel.querySelector("progress");
  var done = panel.querySelector('[data-role="done"]');
  var total = panel.querySelector('[data-role="total"]');
  var format = new Intl.NumberFormat("vi-VN");

  function poll() {
    fetch(panel.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (figures) {
        if (!figures) {
          window.setTimeout(poll, 3000);
          return;
        }
        if (figures.status !== "pending") {
          window.location.reload();
          return;
        }
        if (figures.total) {
          bar.max = figures.total;
          bar.value = figures.done;
          done.textContent = format.format(figures.done);
          total.textContent = format.format(figures.total);
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 3000);
      });
  }

  window.setTimeout(poll, 1000);
})();
