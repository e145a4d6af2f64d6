/* Patrol page: taps and new problems go through a queue kept in localStorage, so nothing
   made while the network drops is lost. Each entry carries a UUID made here; the server
   records an id once, so sending an entry twice is harmless. */
(function () {
  "use strict";
  const root = document.getElementById("patrol");
  if (!root) return;
  const lang = document.documentElement.lang || "zh-hans";
  const zh = !lang.startsWith("en");
  const T = zh
    ? {
        pending: (n) => `未保存，待发送 ${n} 条`,
        queued: "未保存，待发送",
        saved: "已保存",
        failed: "未保存：",
        retry: "未保存，请重试",
        noStorage: "手机存储已满：请勿关闭本页，联网后会自动发送",
        endBlocked: (n) => `还有 ${n} 条未发送，联网发送后再结束巡查`,
        similar: "可能与下面的事项相同，请选择：",
        sameAs: "与此相同",
        logged: "已记录",
        recorded: (label) => `已记录：${label}`,
        undoQueued: "撤销未发送，待发送",
        undone: "已撤销，请重新选择",
      }
    : {
        pending: (n) => `Not saved: ${n} waiting to be sent`,
        queued: "Not saved yet, waiting to send",
        saved: "Saved",
        failed: "Not saved: ",
        retry: "Not saved, retry",
        noStorage: "Phone storage is full: keep this page open, it sends when back online",
        endBlocked: (n) => `${n} still waiting to be sent: end the patrol once they are sent`,
        similar: "Might be the same as:",
        sameAs: "Same as",
        logged: "Logged",
        recorded: (label) => `Recorded: ${label}`,
        undoQueued: "Undo not sent yet, waiting to send",
        undone: "Undone: choose again",
      };
  const key = `fuhai-patrol-queue-${root.dataset.patrol}`;
  const banner = document.getElementById("queue-banner");
  const bannerText = document.getElementById("queue-text");
  const flash = document.getElementById("flash");
  const findSection = document.getElementById("find");
  const findForm = document.getElementById("find-form");
  const head = root.querySelector(".patrol-head");
  let queue = load();
  let sending = false;
  let storageFull = false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16),
    );
  }
  function load() {
    try {
      return JSON.parse(localStorage.getItem(key) || "[]");
    } catch (e) {
      return [];
    }
  }
  function save() {
    try {
      localStorage.setItem(key, JSON.stringify(queue));
      storageFull = false;
    } catch (e) {
      storageFull = true;
    }
    render();
  }
  function render() {
    const n = queue.length;
    banner.classList.toggle("d-none", n === 0);
    bannerText.textContent = T.pending(n) + (storageFull ? " · " + T.noStorage : "");
  }
  function show(text, kind) {
    flash.textContent = text;
    flash.className = `alert alert-${kind || "success"} py-2`;
    clearTimeout(show.timer);
    show.timer = setTimeout(() => flash.classList.add("d-none"), 4000);
  }
  function readPhoto(input) {
    const file = input && input.files && input.files[0];
    if (!file) return Promise.resolve(null);
    return new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve({ name: file.name, data: reader.result });
      reader.onerror = () => resolve(null);
      reader.readAsDataURL(file);
    });
  }
  function toBlob(dataUrl) {
    const [head, body] = dataUrl.split(",");
    const mime = head.match(/data:([^;]+)/)[1];
    const bytes = atob(body);
    const array = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) array[i] = bytes.charCodeAt(i);
    return new Blob([array], { type: mime });
  }
  function itemState(entry, text, cls, link) {
    if (!entry.fields.issue) return;
    const card = document.getElementById(`item-${entry.fields.issue}`);
    if (!card) return;
    const state = card.querySelector(".patrol-state");
    state.textContent = text;
    state.className = `patrol-state small mt-1 ${cls || ""}`;
    if (link) {
      const a = document.createElement("a");
      a.className = "patrol-case-link";
      a.href = link.url;
      a.textContent = link.text;
      state.append(" ", a);
    }
  }
  // The card's photo box back to empty: a photo sent with a tap, or refused, is not the next one's.
  function clearPhoto(entry) {
    const card = document.getElementById(`item-${entry.fields.issue}`);
    const input = card && card.querySelector("input[name=photo]");
    if (!input) return;
    input.value = "";
    const name = card.querySelector(".photo-name");
    name.textContent = name.dataset.empty;
  }
  function markChosen(entry) {
    const card = document.getElementById(`item-${entry.fields.issue}`);
    if (!card) return;
    card.classList.add("is-done");
    card.querySelectorAll("button.tap").forEach((b) => {
      b.disabled = true;
      b.classList.toggle("chosen", b.value === entry.fields.outcome);
    });
    const undo = card.querySelector("form.patrol-undo");
    undo.querySelector("[name=client_id]").value = entry.fields.client_id;
    undo.querySelector("button").disabled = false;
    undo.classList.remove("d-none");
  }
  function chosenLabel(entry) {
    const card = document.getElementById(`item-${entry.fields.issue}`);
    const button = card && card.querySelector("button.tap.chosen");
    return button ? button.textContent.trim() : "";
  }
  function unmark(entry) {
    const card = document.getElementById(`item-${entry.fields.issue}`);
    if (!card) return;
    card.classList.remove("is-done");
    card.querySelectorAll("button.tap").forEach((b) => {
      b.disabled = false;
      b.classList.remove("chosen");
    });
    const undo = card.querySelector("form.patrol-undo");
    undo.querySelector("[name=client_id]").value = "";
    undo.querySelector("button").disabled = false;
    undo.classList.add("d-none");
  }
  function bump(id, by) {
    const el = document.getElementById(id);
    el.textContent = String(Math.max(0, Number(el.textContent) + (by || 1)));
  }

  // A problem logged on the walk: its card, rendered by the server, under the stop it belongs to
  // (an item already on the page, a repeat, stays as it is).
  function placeFound(data) {
    if (!data.html || document.getElementById(`item-${data.issue}`)) return;
    const section = root.querySelector(`section.patrol-stop[data-stop="${data.stop}"]`);
    if (!section) return;
    const template = document.createElement("template");
    template.innerHTML = data.html.trim();
    section.append(template.content);
    const empty = section.querySelector(".patrol-stop-empty");
    if (empty) empty.remove();
    const count = section.querySelector(".patrol-stop-count");
    count.textContent = String(section.querySelectorAll("article.patrol-item").length);
    section.hidden = false;
  }

  async function send(entry) {
    const body = new FormData();
    Object.entries(entry.fields).forEach(([name, value]) => body.append(name, value));
    if (entry.photo) body.append("photo", toBlob(entry.photo.data), entry.photo.name);
    const response = await fetch(entry.url, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "X-CSRFToken": entry.csrf },
    });
    let data = {};
    try {
      data = await response.json();
    } catch (e) {
      data = {};
    }
    return { status: response.status, data };
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      while (queue.length) {
        const entry = queue[0];
        let result;
        try {
          result = await send(entry);
        } catch (e) {
          render();
          return; // offline: keep everything, try again when back
        }
        // A server error, a refused CSRF token or a login page (session ran out): keep it.
        if (result.status >= 500 || result.status === 403 || !result.data.status) {
          itemState(entry, T.retry, "text-danger");
          render();
          return;
        }
        queue.shift();
        save();
        handle(entry, result);
      }
    } finally {
      sending = false;
    }
  }

  function handle(entry, result) {
    const data = result.data || {};
    if (entry.kind === "undo" && (data.status === "undone" || data.status === "duplicate")) {
      unmark(entry);
      itemState(entry, T.undone, "text-success");
      if (data.status === "undone") bump("checked-count", -1);
      return;
    }
    if (data.status === "saved" || data.status === "duplicate") {
      if (entry.kind === "check") {
        // A 12345 item is closed only by its case's answer: the server says so, with the link.
        if (data.message) itemState(entry, data.message, "text-warning-emphasis", data.link);
        else itemState(entry, T.recorded(chosenLabel(entry)), "text-success");
        clearPhoto(entry);
        if (data.status === "saved") bump("checked-count");
      } else {
        if (data.status === "saved") bump("found-count");
        placeFound(data);
        show(data.message || T.logged);
      }
      return;
    }
    if (data.status === "similar") {
      openFind(entry.fields, entry.photo);
      const list = document.getElementById("find-similar-list");
      list.textContent = "";
      data.similar.forEach((item) => {
        const button = document.createElement("button");
        button.type = "submit";
        button.name = "decision";
        button.value = String(item.id);
        button.className = "btn btn-outline-dark w-100 text-start mb-1 same-as";
        button.textContent = `${T.sameAs} ${item.code} · ${item.place ? item.place + " · " : ""}${item.text}`;
        list.appendChild(button);
      });
      document.getElementById("find-similar").classList.remove("d-none");
      findSection.scrollIntoView({ block: "start" });
      return;
    }
    const errors = Object.values(data.errors || {})
      .flat()
      .map((e) => (typeof e === "string" ? e : e.message))
      .join(" ");
    if (entry.kind === "check") {
      unmark(entry);
      if (data.errors && data.errors.photo) clearPhoto(entry); // the photo refused; the note is kept
      itemState(entry, T.failed + errors, "text-danger");
    } else if (entry.kind === "undo") {
      markChosen(entry);
      itemState(entry, T.failed + errors, "text-danger");
    } else {
      openFind(entry.fields, entry.photo);
      document.getElementById("find-errors").textContent = T.failed + errors;
    }
  }

  function enqueue(entry) {
    queue.push(entry);
    save();
    if (entry.kind === "check") {
      markChosen(entry);
      itemState(entry, T.queued, "text-warning-emphasis");
    }
    flush();
  }

  // --- 撤销 on a tapped item: a tap still waiting in the queue is simply dropped ---
  function undoTap(form) {
    const fields = {
      client_id: form.querySelector("[name=client_id]").value,
      issue: form.querySelector("[name=issue]").value,
    };
    const waiting = queue.findIndex((e) => e.kind === "check" && e.fields.client_id === fields.client_id);
    if (waiting > 0 || (waiting === 0 && !sending)) {
      queue.splice(waiting, 1);
      save();
      unmark({ fields });
      itemState({ fields }, T.undone, "text-success");
      return;
    }
    form.querySelector("button").disabled = true;
    queue.push({
      kind: "undo",
      url: form.action,
      csrf: form.querySelector("[name=csrfmiddlewaretoken]").value,
      fields,
    });
    save();
    itemState({ fields }, T.undoQueued, "text-warning-emphasis");
    flush();
  }

  // --- taps on items ---
  root.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.classList.contains("patrol-undo")) {
      event.preventDefault();
      undoTap(form);
      return;
    }
    if (!form.classList.contains("patrol-check")) return;
    event.preventDefault();
    const button = event.submitter;
    if (!button || !button.value) return;
    const photo = await readPhoto(form.querySelector("input[name=photo]"));
    enqueue({
      kind: "check",
      url: form.action,
      csrf: form.querySelector("[name=csrfmiddlewaretoken]").value,
      fields: {
        client_id: uuid(),
        issue: form.querySelector("[name=issue]").value,
        outcome: button.value,
        note: form.querySelector("[name=note]").value,
      },
      photo,
    });
  });

  // --- new problem ---
  function openFind(fields, photo) {
    findSection.classList.remove("d-none");
    findForm.querySelector("[name=client_id]").value = (fields && fields.client_id) || uuid();
    findForm.querySelector("[name=place]").value = (fields && fields.place) || "";
    findForm.querySelector("[name=text]").value = (fields && fields.text) || "";
    findForm.querySelectorAll("[name=category]").forEach((r) => {
      r.checked = !!fields && r.value === fields.category;
    });
    document.getElementById("find-category").open = !!findForm.querySelector("[name=category]:checked");
    findForm.dataset.photo = photo ? JSON.stringify(photo) : "";
    document.getElementById("find-errors").textContent = "";
    document.getElementById("find-similar").classList.add("d-none");
  }
  function closeFind() {
    findSection.classList.add("d-none");
    findForm.reset();
    findForm.dataset.photo = "";
    const name = findForm.querySelector(".photo-name");
    name.textContent = name.dataset.empty;
  }
  root.querySelectorAll(".patrol-new").forEach((button) =>
    button.addEventListener("click", () => {
      openFind({ place: button.dataset.place });
      findSection.scrollIntoView({ block: "start" });
    }),
  );
  document.getElementById("find-cancel").addEventListener("click", closeFind);
  findForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = findForm.querySelector("[name=text]").value.trim();
    if (text.length < 2) {
      document.getElementById("find-errors").textContent = zh ? "请写几句问题描述。" : "Write a few words about the problem.";
      return;
    }
    if (!findForm.querySelector("[name=client_id]").value) findForm.querySelector("[name=client_id]").value = uuid();
    const checked = findForm.querySelector("[name=category]:checked");
    const kept = findForm.dataset.photo ? JSON.parse(findForm.dataset.photo) : null;
    const photo = (await readPhoto(findForm.querySelector("input[name=photo]"))) || kept;
    const entry = {
      kind: "find",
      url: findForm.action,
      csrf: findForm.querySelector("[name=csrfmiddlewaretoken]").value,
      fields: {
        client_id: findForm.querySelector("[name=client_id]").value,
        place: findForm.querySelector("[name=place]").value,
        category: checked ? checked.value : "",
        text,
        decision: (event.submitter && event.submitter.name === "decision" && event.submitter.value) || "",
      },
      photo,
    };
    closeFind();
    enqueue(entry);
  });

  root.addEventListener("change", (event) => {
    const input = event.target;
    if (input.type !== "file") return;
    const name = input.closest("form").querySelector(`label[for="${input.id}"] .photo-name, .patrol-photo .photo-name`);
    if (name) name.textContent = input.files[0] ? input.files[0].name : name.dataset.empty;
  });
  document.getElementById("queue-retry").addEventListener("click", flush);
  document.getElementById("patrol-end").addEventListener("click", (event) => {
    if (queue.length) {
      event.preventDefault();
      show(T.endBlocked(queue.length), "warning");
      flush();
    }
  });
  // The sticky head grows with the queue banner: fields scroll to just below it (patrol.css).
  new ResizeObserver(() =>
    document.documentElement.style.setProperty("--patrol-head", `${head.offsetHeight}px`),
  ).observe(head);
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  queue.filter((e) => e.kind === "check").forEach((e) => {
    markChosen(e);
    itemState(e, T.queued, "text-warning-emphasis");
  });
  queue.filter((e) => e.kind === "undo").forEach((e) => {
    const card = document.getElementById(`item-${e.fields.issue}`);
    if (card) card.querySelector("form.patrol-undo button").disabled = true;
    itemState(e, T.undoQueued, "text-warning-emphasis");
  });
  render();
  flush();
  root.dataset.ready = "1";
})();
