/* WeChat batch entry: count the ticked drafts, tick all at once, and keep 保存 disabled once the
   pasted text has changed since it was read (the drafts would no longer match it), saying why
   beside it with a button to read it again (the server keeps the choices of unchanged messages). */
(function () {
  "use strict";
  const table = document.getElementById("drafts");
  if (!table) return;
  const boxes = () => Array.from(table.querySelectorAll(".draft-include:not(:disabled)"));
  const count = () => { document.getElementById("ticked-count").textContent = boxes().filter((b) => b.checked).length; };
  table.addEventListener("change", (event) => { if (event.target.classList.contains("draft-include")) count(); });
  document.getElementById("tick-all").addEventListener("change", (event) => {
    boxes().forEach((b) => { b.checked = event.target.checked; });
    count();
  });
  const paste = document.getElementById("id_paste");
  const parsed = paste.value;
  paste.addEventListener("input", () => {
    const changed = paste.value !== parsed;
    document.getElementById("btn-save").disabled = changed;
    document.getElementById("stale-hint").hidden = !changed;
    document.getElementById("save-hint").hidden = changed;
  });
})();
