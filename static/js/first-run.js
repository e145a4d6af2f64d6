// First-run help on the home page: shown until this user dismisses it, remembered in this browser.
(function () {
  "use strict";
  var panel = document.getElementById("first-run-help");
  if (!panel) return;
  var key = "fuhai.firstRunDismissed." + panel.dataset.user;
  try {
    if (window.localStorage.getItem(key)) return;
  } catch (e) {
    // Private windows may refuse storage: show the help, it will simply come back next time.
  }
  panel.hidden = false;
  document.getElementById("first-run-dismiss").addEventListener("click", function () {
    panel.hidden = true;
    try {
      window.localStorage.setItem(key, "1");
    } catch (e) {
      // Nothing to remember it in; the panel is hidden for this page anyway.
    }
  });
})();
