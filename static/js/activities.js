// Activities: one-click copy for notices and write-ups, and a sign-in desk that is ready for the next name.
(function () {
  function copyText(text) {
    // navigator.clipboard needs HTTPS; the office intranet may be plain HTTP, so fall back to a hidden textarea.
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-copy-from]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copyFrom);
    const text = "value" in source ? source.value : source.textContent;
    const label = button.textContent;
    copyText(text.trim()).then(
      () => { button.textContent = button.dataset.copied; },
      () => { button.textContent = button.dataset.failed; }
    ).finally(() => setTimeout(() => { button.textContent = label; }, 2000));
  });

  // A search still on its way would answer from before the sign-in and put the row back to 签到.
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const search = document.getElementById("checkin-q");
    const form = event.detail.elt;
    if (search && form.matches && form.matches("form[data-checkin]")) htmx.trigger(search, "htmx:abort");
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const search = document.getElementById("checkin-q");
    const form = event.detail.elt;
    if (search && form.matches && form.matches("form[data-checkin]") && event.detail.successful) search.select();
  });
})();
