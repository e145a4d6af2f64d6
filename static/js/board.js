/* Morning-meeting board: drag a task to another person's column, or use the keyboard
   (← → another person, 1-4 a state); every change posts to the one move endpoint. */
(function () {
  "use strict";
  var dragging = null;
  var focusedTask = null;

  function csrf() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (e) {
      return "";
    }
  }

  function move(task, values) {
    values.version = task.dataset.version;
    focusedTask = task.dataset.task;
    return htmx.ajax("POST", task.dataset.move, {
      target: "#board-body",
      swap: "innerHTML",
      values: values,
      headers: { "X-CSRFToken": csrf() },
    });
  }

  function columns() {
    return Array.prototype.slice.call(document.querySelectorAll(".board-column[data-drop]"));
  }

  document.addEventListener("dragstart", function (event) {
    var task = event.target.closest && event.target.closest(".task[data-move]");
    if (!task) return;
    dragging = task;
    task.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", task.dataset.task);
  });

  document.addEventListener("dragend", function () {
    if (dragging) dragging.classList.remove("dragging");
    dragging = null;
    document.querySelectorAll(".drop-target").forEach(function (el) {
      el.classList.remove("drop-target");
    });
  });

  document.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest(".board-column[data-drop]");
    if (!column || !dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".drop-target").forEach(function (el) {
      if (el !== column) el.classList.remove("drop-target");
    });
    column.classList.add("drop-target");
  });

  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest(".board-column[data-drop]");
    if (!column || !dragging) return;
    event.preventDefault();
    var task = dragging;
    if (task.closest(".board-column") !== column) {
      move(task, { assignee: column.dataset.assignee });
    }
  });

  var KEY_STATES = { 1: "todo", 2: "doing", 3: "done", 4: "postponed" };

  document.addEventListener("keydown", function (event) {
    var task = event.target.closest && event.target.closest(".task[data-move]");
    if (!task || event.target !== task || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var all = columns();
      var index = all.indexOf(task.closest(".board-column"));
      var next = all[index + (event.key === "ArrowLeft" ? -1 : 1)];
      event.preventDefault();
      if (next) move(task, { assignee: next.dataset.assignee });
    } else if (KEY_STATES[event.key]) {
      event.preventDefault();
      move(task, { status: KEY_STATES[event.key] });
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".task-actions button[data-status]");
    if (button) move(button.closest(".task"), { status: button.dataset.status });
    if (event.target.id === "board-print") window.print();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target.id !== "board-body" || !focusedTask) return;
    var again = document.getElementById("task-" + focusedTask);
    if (again) again.focus();
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    // The timed refresh waits while a card is being dragged (it would swap the card away).
    // So does it while a task's visits menu is open (the swap would close it mid-choice).
    var choosing = document.querySelector("#board-body .task-visits-edit[open]");
    if ((dragging !== null || choosing) && elt && elt.id === "board-body" && event.detail.requestConfig.verb === "get") {
      event.preventDefault();
      return;
    }
    if (elt && (elt.id === "board-body" || elt.classList.contains("board-add"))) {
      var active = document.activeElement;
      focusedTask = active && active.classList && active.classList.contains("task") ? active.dataset.task : null;
    }
  });

  document.addEventListener("board-changed", function () {
    var input = document.getElementById("task-text");
    document.querySelectorAll(".board-add input[name=visits]").forEach(function (box) {
      box.checked = false;
    });
    var pick = document.querySelector(".board-visit-pick");
    if (pick) pick.open = false;
    if (input) {
      input.value = "";
      input.focus();
    }
  });

  // A lane lists a few entries and counts the rest, but how many fit whole depends on the
  // screen, the length of each entry and what else is on the board that day. The server sends
  // six; here the ones the lane cannot show whole are hidden and "and N more" is counted again,
  // so the entries shown and N always add up to the lane's total. On the screen link a person's
  // column is fitted the same way (the server sends all the day's tasks); on /board/ it scrolls.
  function fitsWhole(item, box) {
    var r = item.getBoundingClientRect();
    return r.bottom <= box.bottom + 0.5 && r.right <= box.right + 0.5;
  }

  function shownWhole(list, items) {
    var box = list.getBoundingClientRect();
    for (var i = 0; i < items.length; i++) {
      if (!fitsWhole(items[i], box)) return i;
    }
    return items.length;
  }

  function fitLane(lane) {
    var list = lane.querySelector("ul, ol");
    var more = lane.querySelector(".lane-more");
    if (!list || !more) return;
    var items = Array.prototype.slice.call(list.children).filter(function (li) {
      return !li.classList.contains("lane-empty") && !li.classList.contains("task-empty");
    });
    var total = parseInt(more.dataset.total, 10) || 0;
    items.forEach(function (li) {
      li.hidden = false;
    });
    // Without its count line the lane has room for more; the line comes back if anything is left out.
    more.hidden = items.length >= total;
    var shown = shownWhole(list, items);
    if (more.hidden && shown < items.length) {
      more.hidden = false;
      shown = shownWhole(list, items);
    }
    items.slice(shown).forEach(function (li) {
      li.hidden = true;
    });
    more.hidden = total - shown <= 0;
    more.textContent = more.dataset.text.replace("{n}", String(total - shown));
  }

  function fitLanes() {
    document.querySelectorAll(".board-lanes .lane, .board-public .board-column").forEach(fitLane);
  }

  fitLanes();
  // After the swap, before the refreshed lanes are painted with the server's count.
  document.addEventListener("htmx:afterSwap", fitLanes);
  if (document.fonts) document.fonts.ready.then(fitLanes);
  // The board's body changes size with the window, and with the header when it wraps.
  var body = document.getElementById("board-body");
  if (body && window.ResizeObserver) new ResizeObserver(fitLanes).observe(body);

  document.addEventListener("htmx:responseError", function (event) {
    // A revoked screen link answers 404: show that instead of a board frozen in time.
    if (event.detail.xhr.status === 404) window.location.reload();
  });
})();
