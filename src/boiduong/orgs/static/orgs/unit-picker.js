// Unit pickers (orgs/forms.py UnitPickerWidget): a <select data-unit-picker="lookup URL">
// becomes a Tom Select search box. data-remote="1": the options load from the lookup as the
// user types (the server folds diacritics and keeps to the user's scope); otherwise the
// select already holds every unit and Tom Select searches them in the page.
(function () {
  "use strict";

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function enhance(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var remote = select.dataset.remote === "1";
    var settings = {
      // The empty choice ("---------") becomes the placeholder; a unit is removed with
      // Backspace where the field may be left empty.
      allowEmptyOption: false,
      maxOptions: 50,
      placeholder: select.dataset.placeholder,
      valueField: "id",
      labelField: "text",
      searchField: ["text"],
      render: {
        option: function (item) {
          var detail = item.detail
            ? '<div class="small text-body-secondary">' + escapeHtml(item.detail) + "</div>"
            : "";
          return '<div class="py-1"><div>' + escapeHtml(item.text) + "</div>" + detail + "</div>";
        },
        item: function (item) {
          return "<div>" + escapeHtml(item.text) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults) + "</div>";
        },
      },
    };
    if (remote) {
      var url = select.dataset.unitPicker;
      settings.shouldLoad = function (query) {
        return query.trim().length >= 2;
      };
      // The server has matched already (on folded names, codes, abbreviations): keep its order.
      settings.score = function () {
        return function () {
          return 1;
        };
      };
      settings.load = function (query, callback) {
        var self = this;
        fetch(url + "&q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () {
            callback();
          });
      };
    }
    new TomSelect(select, settings);
  }

  function enhanceAll(root) {
    root.querySelectorAll("select[data-unit-picker]").forEach(enhance);
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhanceAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    enhanceAll(event.target);
  });
})();
