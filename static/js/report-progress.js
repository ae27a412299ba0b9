// Follows the making of the reports still in progress on the page: asks the server where each
// stands every two seconds, moves its progress bar, and shows the file links once it is done.
(function () {
  "use strict";

  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-status-url]"));
  if (!rows.length || !window.fetch) {
    return;
  }

  function update(row, state) {
    var cell = row.querySelector(".state");
    var label = cell.querySelector(".label");
    var bar = cell.querySelector("progress");
    label.textContent = state.label;
    if (bar) {
      bar.value = state.progress;
      bar.textContent = state.progress + "%";
    }
    if (!state.finished) {
      return false;
    }
    if (bar) {
      bar.remove();
    }
    if (state.error) {
      var error = document.createElement("span");
      error.className = "error";
      error.textContent = state.error;
      cell.appendChild(error);
    }
    var files = row.querySelector(".files");
    Object.keys(state.files).forEach(function (name) {
      var link = document.createElement("a");
      link.className = "seg";
      link.href = state.files[name];
      link.textContent = name === "xlsx" ? "Excel" : "PDF";
      files.appendChild(link);
    });
    row.removeAttribute("data-status-url");
    return true;
  }

  function poll() {
    rows = rows.filter(function (row) {
      return row.hasAttribute("data-status-url");
    });
    if (!rows.length) {
      return;
    }
    Promise.all(
      rows.map(function (row) {
        return fetch(row.getAttribute("data-status-url"), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (state) {
            if (state) {
              update(row, state);
            }
          })
          .catch(function () {});
      })
    ).then(function () {
      window.setTimeout(poll, 2000);
    });
  }

  window.setTimeout(poll, 1000);
})();
