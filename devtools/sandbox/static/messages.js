// How one message looks: a bubble (bot left, user right) and its inline keyboard.
// The message's "html" comes sanitized from the server (only Telegram's tags); every
// other text is set with textContent.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function focusIndex(item) {
  return [...item.querySelectorAll("button, a")].indexOf(document.activeElement);
}

export function refocus(item, index) {
  const controls = item.querySelectorAll("button, a");
  (controls[Math.min(index, controls.length - 1)] || item.querySelector(".bubble")).focus();
}

export function messageElement(message, onTap) {
  const item = el("li", `msg ${message.from}`);
  item.dataset.id = String(message.id);
  const bubble = el("div", "bubble");
  bubble.tabIndex = -1;
  bubble.append(el("span", "visually-hidden", message.from === "bot" ? "Spasmbot: " : "You: "));
  if (message.photo) {
    const image = el("img", "photo");
    image.src = message.photo;
    image.alt = message.text ? "Photo" : "Photo from the bot";
    bubble.append(image);
  }
  if (message.document) {
    const link = el("a", "doc");
    link.href = message.document.url;
    link.download = message.document.name;
    link.append(el("span", "", `📄 ${message.document.name}`),
      el("span", "size", formatSize(message.document.size)));
    bubble.append(link);
  }
  if (message.html) {
    const text = el("div", "text");
    text.innerHTML = message.html; // sanitized by the server: only Telegram's tags
    bubble.append(text);
  }
  if (message.edited) bubble.append(el("span", "meta", "edited"));
  item.append(bubble);
  if (message.buttons.length) item.append(keyboardElement(message, onTap));
  return item;
}

function keyboardElement(message, onTap) {
  const keyboard = el("div", "keyboard");
  keyboard.setAttribute("role", "group");
  keyboard.setAttribute("aria-label", "Message buttons");
  for (const row of message.buttons) {
    const line = el("div", "row");
    for (const button of row) {
      if (button.url) {
        const link = el("a", "inline", `${button.text} ↗`);
        link.href = button.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        line.append(link);
        continue;
      }
      const control = el("button", "inline", button.text);
      control.type = "button";
      control.addEventListener("click", () => onTap(message.id, button.data));
      line.append(control);
    }
    keyboard.append(line);
  }
  return keyboard;
}

function formatSize(bytes) {
  if (bytes < 1024) return ` ${bytes} B`;
  return ` ${(bytes / 1024).toFixed(1)} kB`;
}
