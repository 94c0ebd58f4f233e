/* The NetGuard window: the guard's reason and advice, the lint's notes, and the choices.
 * Every text from mail or from NetGuard goes in as textContent, never as markup. */
"use strict";

const t = key => messenger.i18n.getMessage(key);
const id = Number(new URLSearchParams(location.search).get("id"));

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

function showRecipients(answer) {
  const box = document.getElementById("reasons");
  for (const recipient of answer.recipients.filter(r => r.warn)) {
    const part = element("div", "recipient");
    part.append(element("h2", "", recipient.address));
    for (const finding of recipient.findings) {
      part.append(element("p", "message", finding.message), element("p", "advice", finding.advice));
    }
    box.append(part);
  }
}

function showLint(answer) {
  const findings = (answer.lint && answer.lint.findings) || [];
  document.getElementById("lint").hidden = findings.length === 0;
  const list = document.getElementById("notes");
  for (const finding of findings) {
    const item = element("li", "note");
    item.append(element("q", "", finding.text), " ", element("span", "", finding.message));
    item.append(element("p", "advice", finding.advice));
    list.append(item);
  }
}

function show(entry) {
  const { answer, mode } = entry;
  const warn = answer.ok && answer.verdict === "warn";
  const title = !answer.ok ? "unreachableTitle" : warn ? "warnTitle" : "clearTitle";
  document.getElementById("title").textContent = t(title);
  document.getElementById("intro").textContent =
    !answer.ok ? answer.message : answer.note || t(warn ? "warnIntro" : "clearIntro");
  if (answer.ok) {
    showRecipients(answer);
    showLint(answer);
  }
  document.getElementById("send").hidden = !(warn && mode === "send");
  document.getElementById("close-loop").hidden = !warn;
  document.getElementById("cancel").textContent = t(mode === "send" ? "cancel" : "close");
}

async function choose(choice) {
  await messenger.runtime.sendMessage({ kind: "choice", id, choice });
  window.close();
}

for (const node of document.querySelectorAll("[data-i18n]")) {
  node.textContent = t(node.dataset.i18n);
}
for (const [button, choice] of [["send", "send"], ["close-loop", "close-loop"], ["cancel", "cancel"]]) {
  document.getElementById(button).addEventListener("click", () => choose(choice));
}
messenger.runtime.sendMessage({ kind: "get", id }).then(entry => {
  if (entry) {
    show(entry);
  } else {
    window.close();
  }
});
