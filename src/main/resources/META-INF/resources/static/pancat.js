// pancat pages work without this script; it adds term suggestions to the search box and copy
// buttons. Suggestions come from the vocabulary API (/api/v1/vocab/lookup), acronyms included.
(function () {
  "use strict";

  var SCHEMES = { techniques: "technique", functions: "function", formats: "format" };

  function suggestions(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(item) {
      var url = new URL(window.location.href);
      url.searchParams.delete("q");
      url.searchParams.delete("page");
      url.searchParams.append(item.parameter, item.iri);
      window.location.assign(url.pathname + url.search);
    }

    function highlight(index) {
      items.forEach(function (entry, i) {
        entry.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].element.id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(matches) {
      close();
      var seen = {};
      matches.forEach(function (m) {
        var parameter = SCHEMES[m.scheme];
        if (!parameter || seen[m.iri]) {
          return;
        }
        seen[m.iri] = true;
        var li = document.createElement("li");
        li.id = "suggestion-" + items.length;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var label = document.createElement("span");
        label.textContent = m.prefLabel + (m.matchedLabel && m.matchedLabel !== m.prefLabel ? " (" + m.matchedLabel + ")" : "");
        var scheme = document.createElement("span");
        scheme.className = "scheme";
        scheme.textContent = " " + parameter;
        li.appendChild(label);
        li.appendChild(scheme);
        var item = { iri: m.iri, parameter: parameter, element: li };
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(item);
        });
        items.push(item);
        list.appendChild(li);
      });
      if (items.length > 0) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function ask() {
      var q = input.value.trim();
      if (q.length < 2) {
        close();
        return;
      }
      asked = q;
      fetch("/api/v1/vocab/lookup?limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
        .then(function (body) {
          if (asked === q && input.value.trim() === q) {
            show(body.matches || []);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 100); });
  }

  function copyButtons() {
    document.querySelectorAll("button.copy[data-copy-from]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy-from"));
        if (!source || !navigator.clipboard) {
          return;
        }
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = "Copied";
          window.setTimeout(function () { button.textContent = "Copy"; }, 2000);
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var q = document.getElementById("q");
    if (q && q.getAttribute("role") === "combobox") {
      suggestions(q);
    }
    copyButtons();
  });
})();
