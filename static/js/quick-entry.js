// Quick entry: Ctrl+Enter (or Enter in a one-line field) saves; a suggested category fills the select until the user picks one.
(function () {
  const form = document.getElementById("quick-entry");
  if (!form) return;
  const category = document.getElementById("id_category");
  let categoryTouched = category && category.value !== "";
  if (category) category.addEventListener("change", (e) => { if (e.isTrusted) categoryTouched = true; });
  form.addEventListener("keydown", (event) => {
    const inInput = event.target.tagName === "INPUT" && event.target.type !== "file";
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey || inInput)) {
      event.preventDefault();
      const method = document.getElementById("id_handling_method");
      const button = method && method.value ? "btn-settle" : "btn-investigate";
      document.getElementById(button).click();
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id !== "suggestions" || !category || categoryTouched) return;
    const box = document.getElementById("suggestion-box");
    if (box && box.dataset.suggestedCategory) category.value = box.dataset.suggestedCategory;
  });
})();
