// The sandbox page: renders one user's chat from /api/chats/{id}, re-fetching it whenever
// the server pushes a "changed" event for that chat (Server-Sent Events, no reload).
// Message "html" comes sanitized from the server (only Telegram's tags); every other text
// is set with textContent.
import { el, focusIndex, messageElement, refocus } from "./messages.js";

const $ = (selector) => document.querySelector(selector);
const state = {
  users: [],
  current: null,
  unread: new Set(),
  seenNotice: new Map(), // user id -> id of the last callback answer already shown
  clock: null,
  loading: null, // the chat fetch in flight, and whether another one is wanted after it
  again: false,
};

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function post(path, data) {
  return api(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(data),
  });
}

let noticeTimer = null;
function showNotice(text) {
  const notice = $("#notice");
  notice.textContent = text;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { notice.textContent = ""; }, 5000);
}

// -- users -------------------------------------------------------------------------------

function renderUsers() {
  const box = $("#users");
  box.replaceChildren();
  for (const user of state.users) {
    const button = el("button", "", user.label);
    button.type = "button";
    button.setAttribute("aria-pressed", String(user.id === state.current));
    if (state.unread.has(user.id)) {
      button.append(el("span", "dot", "●"), el("span", "visually-hidden", " (new messages)"));
    }
    button.addEventListener("click", () => selectUser(user.id));
    box.append(button);
  }
}

async function selectUser(id) {
  if (id === state.current) return;
  state.current = id;
  state.unread.delete(id);
  history.replaceState(null, "", `#${id}`);
  renderUsers();
  const user = state.users.find((u) => u.id === id);
  $("#chat-title").textContent = `Chat with Spasmbot — as ${user.label}`;
  $("#messages").replaceChildren();
  closeCommands();
  await Promise.all([loadChat(), loadCommands()]);
}

// -- the chat ----------------------------------------------------------------------------

async function loadChat() {
  if (state.loading) { state.again = true; return state.loading; }
  state.loading = (async () => {
    do {
      state.again = false;
      const id = state.current;
      const chat = await api(`/api/chats/${id}`);
      if (id === state.current) renderChat(chat);
    } while (state.again);
  })();
  try { await state.loading; } catch (error) { showNotice(`Could not load the chat: ${error.message}`); }
  finally { state.loading = null; }
}

function renderChat(chat) {
  const list = $("#messages");
  const wanted = new Set(chat.messages.map((m) => String(m.id)));
  for (const item of [...list.children]) if (!wanted.has(item.dataset.id)) item.remove();
  let added = false;
  chat.messages.forEach((message, index) => {
    const signature = JSON.stringify(message);
    const old = list.querySelector(`li[data-id="${message.id}"]`);
    if (old && old.dataset.signature === signature) return;
    const fresh = messageElement(message, tap);
    fresh.dataset.signature = signature;
    if (old) {
      const focused = old.contains(document.activeElement) ? focusIndex(old) : null;
      old.replaceWith(fresh); // an edit: same place, new content
      if (focused !== null) refocus(fresh, focused);
    } else {
      list.insertBefore(fresh, list.children[index] || null);
      added = true;
    }
  });
  $("#empty").hidden = chat.messages.length > 0;
  if (added) window.scrollTo({ top: document.body.scrollHeight });
  const notice = chat.notice;
  const seen = state.seenNotice.get(chat.user_id);
  if (notice && seen !== undefined && seen !== notice.id) showNotice(notice.text);
  state.seenNotice.set(chat.user_id, notice ? notice.id : null);
}

async function tap(messageId, data) {
  try {
    await post("/api/tap", { user_id: state.current, message_id: messageId, data });
  } catch (error) {
    showNotice(`That button is gone: ${error.message}`);
    loadChat();
  }
}

async function send(text) {
  if (!text.trim() || state.current === null) return;
  try {
    await post("/api/send", { user_id: state.current, text });
  } catch (error) {
    showNotice(`Not sent: ${error.message}`);
  }
}

// -- the "/" menu --------------------------------------------------------------------------

async function loadCommands() {
  const list = $("#commands");
  const commands = await api(`/api/commands/${state.current}`);
  list.replaceChildren();
  for (const command of commands) {
    const button = el("button");
    button.type = "button";
    button.append(el("span", "name", `/${command.command}`),
      el("span", "description", command.description));
    button.addEventListener("click", () => {
      closeCommands();
      $("#text").focus();
      send(`/${command.command}`);
    });
    const item = el("li");
    item.append(button);
    list.append(item);
  }
}

function openCommands() {
  $("#commands").hidden = false;
  $("#menu-button").setAttribute("aria-expanded", "true");
  const first = $("#commands button");
  if (first) first.focus();
}

function closeCommands() {
  $("#commands").hidden = true;
  $("#menu-button").setAttribute("aria-expanded", "false");
}

// -- the clock -----------------------------------------------------------------------------

async function loadClock() {
  try {
    state.clock = await api("/api/clock");
    renderClock();
  } catch (error) {
    $("#clock-next").textContent = `Clock unavailable: ${error.message}`;
  }
}

function formatIn(zone, date) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).format(date);
}

function renderClock() {
  const clock = state.clock;
  if (!clock) return;
  const now = new Date(Date.now() + clock.offset_seconds * 1000);
  $("#clock-utc").textContent = formatIn("UTC", now);
  $("#clock-zone").textContent = clock.zone.split("/").pop().replace(/_/g, " ");
  $("#clock-local").textContent = formatIn(clock.zone, now);
  const next = clock.next_tip_local
    ? `Next tip or check-in: ${clock.next_tip_local} (${$("#clock-zone").textContent}).`
    : "Nothing is scheduled. Accept the tip offer after /start, or turn tips or check-ins on in /settings.";
  if ($("#clock-next").textContent !== next) $("#clock-next").textContent = next;
}

async function jump() {
  try {
    const result = await post("/api/clock/next", {});
    state.clock = result;
    renderClock();
    if (!result.jumped) showNotice("Nothing is scheduled.");
  } catch (error) {
    showNotice(`Jump failed: ${error.message}`);
  }
}

// -- live updates and start-up -------------------------------------------------------------

let clockRefresh = null;
function connectEvents() {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    $("#live").textContent = "Live";
    loadChat(); // catch up on anything missed while disconnected
  });
  source.addEventListener("error", () => { $("#live").textContent = "Reconnecting…"; });
  source.addEventListener("changed", (event) => {
    const chatId = JSON.parse(event.data).chat_id;
    if (chatId === state.current) loadChat();
    else if (state.users.some((u) => u.id === chatId)) {
      state.unread.add(chatId);
      renderUsers();
    }
    clearTimeout(clockRefresh); // e.g. tips were just turned on: a tip is now scheduled
    clockRefresh = setTimeout(loadClock, 300);
  });
  source.addEventListener("clock", loadClock);
}

async function start() {
  $("#composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("#text");
    const text = input.value;
    input.value = "";
    send(text);
  });
  $("#menu-button").addEventListener("click", () => {
    if ($("#commands").hidden) openCommands(); else closeCommands();
  });
  $("#composer").addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !$("#commands").hidden) {
      closeCommands();
      $("#menu-button").focus();
    }
  });
  $("#jump").addEventListener("click", jump);
  state.users = await api("/api/users");
  const wanted = Number(location.hash.slice(1));
  const first = state.users.find((u) => u.id === wanted) || state.users[0];
  await selectUser(first.id);
  connectEvents();
  await loadClock();
  setInterval(renderClock, 1000);
  setInterval(loadClock, 15000);
}

start();
