/* WeChat batch entry: count the ticked drafts, tick all at once, and keep 保存 disabled once the
   pasted text has changed since it was read (the drafts would no longer match it). */
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
  paste.addEventListener("input", () => { document.getElementById("btn-save").disabled = paste.value !== parsed; });
})();
