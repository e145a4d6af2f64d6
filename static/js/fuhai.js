/* Small behaviours every page may use, declared with data attributes (the Content-Security-Policy
   allows no inline script or onclick):
   data-print            a button that prints the page
   data-select-on-focus  an input whose text is selected when focused (a link to copy)
   data-confirm="…"      a button that asks before it submits
   data-fill-target="id" a button that puts its data-text into the field with that id
   data-no-submit        a form that only drives htmx and never submits itself
   data-reset-after-request  an htmx form emptied after a successful request
   data-autofocus-wide   a field focused when the page opens on a PC (992 px and wider), not on a
                         phone, whose keyboard would open over the list (the residents' search)
   And on every form: a date or time typed only in part (the day without the hour) stops the
   submit with body's data-incomplete-input. The browser sends such a field as empty, and the
   forms are novalidate (the server's messages, in the page's words): a half-typed 12345
   deadline was saved as the default one without a word.
   And a paste longer than a field's maxlength goes in whole: the browser would keep the first
   part and drop the rest without a word (10,000 characters pasted into 12345's 内容 were saved as
   2,000); the server refuses it in words, with the text in the field to shorten.
   And a section's sub-navigation (.subnav), which scrolls sideways on a phone, shows its
   current tab: on 对接单位 or 问题分类 it was out of sight at the right. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : null;
    if (!target) return;
    var confirmButton = target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (target.closest("[data-print]")) window.print();
    var fill = target.closest("[data-fill-target]");
    if (fill) {
      var field = document.getElementById(fill.dataset.fillTarget);
      if (field) field.value = fill.dataset.text;
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("[data-no-submit]")) event.preventDefault();
  });

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.querySelectorAll) return;
      var incomplete = Array.prototype.filter.call(form.querySelectorAll("input"), function (input) {
        return input.validity && input.validity.badInput;
      });
      if (!incomplete.length) return;
      event.preventDefault();
      event.stopPropagation(); // before htmx sees it: nothing is sent
      incomplete.forEach(function (input) {
        input.classList.add("is-invalid");
        input.setCustomValidity(document.body.dataset.incompleteInput || "");
      });
      incomplete[0].reportValidity();
    },
    true
  );

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var input = event.target;
      if (input.validity && input.validity.customError && !input.validity.badInput) {
        input.setCustomValidity("");
        input.classList.remove("is-invalid");
      }
    });
  });

  document.addEventListener("paste", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("input[maxlength], textarea[maxlength]")) return;
    var pasted = event.clipboardData ? event.clipboardData.getData("text") : "";
    var kept = field.value.length - ((field.selectionEnd || 0) - (field.selectionStart || 0));
    if (kept + pasted.length > Number(field.getAttribute("maxlength"))) field.removeAttribute("maxlength");
  });

  var wideFocus = document.querySelector("[data-autofocus-wide]");
  if (wideFocus && window.matchMedia("(min-width: 992px)").matches) wideFocus.focus();

  document.querySelectorAll(".subnav").forEach(function (nav) {
    var current = nav.querySelector(".active");
    if (!current || nav.scrollWidth <= nav.clientWidth) return;
    var offset = current.getBoundingClientRect().left - nav.getBoundingClientRect().left;
    nav.scrollLeft += offset - (nav.clientWidth - current.offsetWidth) / 2;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (event.detail.successful && elt.matches && elt.matches("form[data-reset-after-request]")) elt.reset();
  });
})();
