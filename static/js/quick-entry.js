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

// The draft: what is typed is kept in this browser until the server lists the entry's token
// as saved, so a 500 or a lost connection never loses it. A reload restores the text and the
// token, and a resend of an entry that did reach the server finds it instead of a second item.
(function () {
  const form = document.getElementById("quick-entry");
  if (!form || !form.dataset.draftKey || !window.localStorage) return;
  const key = form.dataset.draftKey;
  const token = form.elements.entry_token;
  const fields = ["text", "place", "reporter_name", "sender", "note"].map((name) => form.elements[name]).filter(Boolean);
  const saved = (form.dataset.savedTokens || "").split(" ");
  let draft = null;
  try { draft = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { draft = null; }
  if (draft && saved.includes(draft.token)) {
    localStorage.removeItem(key);
  } else if (draft && fields.every((field) => !field.value)) {
    fields.forEach((field) => { if (draft.values[field.name]) field.value = draft.values[field.name]; });
    if (token && draft.token) token.value = draft.token;
  }
  const keep = () => {
    const values = {};
    fields.forEach((field) => { values[field.name] = field.value; });
    if (fields.some((field) => field.value.trim())) {
      localStorage.setItem(key, JSON.stringify({ token: token ? token.value : "", values: values }));
    } else {
      localStorage.removeItem(key);
    }
  };
  fields.forEach((field) => field.addEventListener("input", keep));
  form.addEventListener("submit", keep);
})();
