/* The NetGuard window: the guard's reason and advice, the lint's notes, and the choices.
 * Every text from mail or from NetGuard goes in as textContent, never as markup. */
"use strict";

const id = Number(new URLSearchParams(location.search).get("id"));
let labels = {}; // NetGuard's language when it answered, so labels and advice agree

const t = key => (labels[key] && labels[key].message) || messenger.i18n.getMessage(key);

async function useLanguage(lang) {
  if (!["en", "nl"].includes(lang)) {
    return;
  }
  const response = await fetch(messenger.runtime.getURL(`_locales/${lang}/messages.json`));
  labels = await response.json();
}

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
    const item = element("li", "note", finding.message); // the message quotes the words
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

function translate() {
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
}
for (const [button, choice] of [["send", "send"], ["close-loop", "close-loop"], ["cancel", "cancel"]]) {
  document.getElementById(button).addEventListener("click", () => choose(choice));
}
translate();
messenger.runtime.sendMessage({ kind: "get", id }).then(async entry => {
  if (!entry) {
    window.close();
    return;
  }
  await useLanguage(entry.answer.lang).catch(() => {});
  translate();
  show(entry);
});
