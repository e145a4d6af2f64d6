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
   And a field's maxlength becomes data-maxlength (on the page and in what htmx brings): the
   browser kept the first part of a paste and dropped the rest without a word (2,800 characters
   pasted into 快速登记's 内容 kept 2,000; a phone's keyboard pastes with no paste event). All that
   is typed stays; while it is over the limit a hint under the field says so (body's data-too-long,
   counted as the server counts), and the server refuses it in words, with the text to shorten;
   edited, the field's message from the server gives way to the hint.
   And a banner that asks to check a form (a refused step's 未保存：请检查下面的表单, the message's
   data-form-errors) goes once no form in the page shows an error any more: a refused text
   shortened to fit lost its message and its red, and the banner went on saying otherwise.
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

  // --- length limits ---------------------------------------------------------------------
  var lengthHints = 0;

  function serverLength(field) {
    // Python's len() after the form strips the ends: code points, so 😀 or 𠀀 is one, not two;
    // a line break is one too (posted as \r\n, the server makes it one \n before it counts).
    return Array.from(field.value.trim()).length;
  }

  function describedBy(field, id, add) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (each) {
      return each && each !== id;
    });
    if (add) ids.push(id);
    if (ids.length) field.setAttribute("aria-describedby", ids.join(" "));
    else field.removeAttribute("aria-describedby");
  }

  function dropServerErrors(field) {
    // Sent back refused, the field has the server's message (Django's <id>_error, or a template's
    // own .invalid-feedback after it). Once the text is edited it speaks of the text that was sent
    // (现在有 2800 字 while the box has 2,100) and stood above or below the live hint, and kept the
    // field red after the text fit: it goes, the hint says what holds now, and submitting asks again.
    var errors = [];
    var next = (field.closest(".input-group") || field).nextElementSibling;
    for (; next; next = next.nextElementSibling) {
      if (next.id === field.dataset.lengthHint) continue;
      if (!next.classList.contains("invalid-feedback")) break;
      errors.push(next);
    }
    var byId = field.id && document.getElementById(field.id + "_error");
    if (byId && errors.indexOf(byId) < 0) errors.push(byId);
    if (!errors.length) return;
    errors.forEach(function (error) {
      if (error.id) describedBy(field, error.id, false);
      error.remove();
    });
    if (!field.dataset.lengthMarked) {
      field.removeAttribute("aria-invalid");
      field.classList.remove("is-invalid");
    }
  }

  function checkLength(field, onLoad) {
    var limit = Number(field.dataset.maxlength);
    var count = serverLength(field);
    if (!onLoad) dropServerErrors(field);
    // By its id too: a field swapped in out of band (the desk's walk-in box) comes without the
    // data attribute, and its hint from before is still in the page.
    var hint = document.getElementById(field.dataset.lengthHint || (field.id ? field.id + "-length" : ""));
    if (count <= limit) {
      if (!hint) return;
      hint.remove();
      describedBy(field, hint.id, false);
      if (field.dataset.lengthMarked) {
        field.removeAttribute("aria-invalid");
        field.classList.remove("is-invalid");
        delete field.dataset.lengthMarked;
      }
      return;
    }
    // Sent back over the limit, the field already shows the server's message, which says as much;
    // a hint left from typing beside a field swapped in (the desk's walk-in box) would say it twice.
    if (onLoad && field.classList.contains("is-invalid")) {
      if (hint) {
        hint.remove();
        describedBy(field, hint.id, false);
      }
      return;
    }
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "form-text text-danger";
      hint.id = field.id ? field.id + "-length" : "length-hint-" + ++lengthHints;
      field.dataset.lengthHint = hint.id;
      var group = field.closest(".input-group") || field;
      group.insertAdjacentElement("afterend", hint);
      describedBy(field, hint.id, true);
      if (field.getAttribute("aria-invalid") !== "true") {
        field.setAttribute("aria-invalid", "true");
        field.classList.add("is-invalid");
        field.dataset.lengthMarked = "1";
      }
    }
    hint.textContent = (document.body.dataset.tooLong || "")
      .replace("{limit}", limit)
      .replace("{count}", count);
  }

  function takeOverLengths(root) {
    if (!root.querySelectorAll) return;
    // Not a search box: what is looked for is cut at its limit (the top bar's 50) and searched.
    var limits = "input[maxlength]:not([type=search]), textarea[maxlength]";
    var fields = Array.prototype.slice.call(root.querySelectorAll(limits));
    if (root.matches && root.matches(limits)) fields.push(root);
    fields.forEach(function (field) {
      field.dataset.maxlength = field.getAttribute("maxlength");
      field.removeAttribute("maxlength");
    });
    var limited = Array.prototype.slice.call(root.querySelectorAll("[data-maxlength]"));
    if (root.matches && root.matches("[data-maxlength]")) limited.push(root);
    limited.forEach(function (field) {
      checkLength(field, true);
    });
  }

  takeOverLengths(document);
  // Also when htmx has set up the page (after every script, so a draft the quick entry restores is
  // checked) and for each piece it swaps in.
  document.addEventListener("htmx:load", function (event) {
    takeOverLengths(event.detail.elt);
  });

  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.maxlength) checkLength(event.target, false);
  });

  document.addEventListener("reset", function (event) {
    window.setTimeout(function () {
      takeOverLengths(event.target);
    });
  });

  // --- a refused form's banner -------------------------------------------------------------
  // What shows a form's error: a field marked red, a field's message, the form's own message.
  var FORM_ERRORS = "form .is-invalid, form .invalid-feedback, form .alert-danger";

  function retireFormBanners(event) {
    var banners = document.querySelectorAll("#messages [data-form-errors]");
    if (!banners.length || !event.target.closest || !event.target.closest("form")) return;
    var shown = Array.prototype.some.call(document.querySelectorAll(FORM_ERRORS), function (error) {
      return error.getClientRects().length > 0;
    });
    if (shown) return;
    banners.forEach(function (banner) {
      banner.remove();
    });
  }

  // After the listeners above: they have dropped the field's message or its hint by then.
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, retireFormBanners);
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
