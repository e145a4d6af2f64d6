// The top bar's search box: suggestions under it as an ARIA combobox. Arrow keys move through the
// options, Enter opens the selected one (or the full results page when none is selected), Esc closes.
(function () {
  "use strict";
  var input = document.getElementById("top-search-input");
  if (!input) return;
  var list = document.getElementById("top-search-list");
  var form = input.form;
  var timer = null;
  var asked = 0;

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll("[role=option]"));
  }
  function close() {
    list.classList.remove("show");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function select(index) {
    var all = options();
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      option.classList.toggle("active", i === index);
    });
    if (index >= 0 && all[index]) {
      input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }
  function current() {
    return options().findIndex(function (option) { return option.getAttribute("aria-selected") === "true"; });
  }
  function suggest() {
    var query = input.value.trim();
    if (!query) { close(); return; }
    var ticket = ++asked;
    fetch(input.dataset.suggestUrl + encodeURIComponent(query), { headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (ticket !== asked) return;  // an older answer arriving after a newer one
        list.innerHTML = html;
        list.classList.add("show");
        input.setAttribute("aria-expanded", "true");
        select(-1);
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 200);
  });
  input.addEventListener("keydown", function (event) {
    var all = options();
    var index = current();
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      select(index + 1 < all.length ? index + 1 : 0);
    } else if (event.key === "ArrowUp" && all.length) {
      event.preventDefault();
      select(index > 0 ? index - 1 : all.length - 1);
    } else if (event.key === "Escape") {
      close();
    } else if (event.key === "Enter" && index >= 0 && list.classList.contains("show")) {
      event.preventDefault();
      window.location.assign(all[index].href);
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  form.addEventListener("submit", function () { close(); });
})();
