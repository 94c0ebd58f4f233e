/* NetGuard's guard in Thunderbird: ask the native host before each send.
 *
 * All the add-on's decisions live here, behind createGuard(messenger), so that they run the
 * same under Thunderbird and under node's test runner with a stand-in `messenger`.
 * Rules: a clear verdict sends at once; a warning cancels the send and opens the NetGuard
 * window; when the host cannot be reached or cannot judge, the mail goes and the add-on
 * says so once.
 */
"use strict";

const HOST = "netguard";
const HOST_TIMEOUT_MS = 5000;
const UNREACHABLE_NOTICE = "netguard-unreachable";

/** The bare address in "Name <a@b>" or "a@b". */
function addressOf(recipient) {
  const text = String(recipient).trim();
  const angle = /<([^<>]+)>\s*$/.exec(text);
  return (angle ? angle[1] : text).trim();
}

/** The e-mail addresses of a vCard, the preferred one (PREF=1) first. */
function emailsOfVCard(vCard) {
  const found = [];
  for (const line of String(vCard || "").split(/\r?\n/)) {
    const match = /^(?:[\w-]+\.)?EMAIL([^:]*):(.+)$/i.exec(line.trim());
    if (match) {
      const preferred = /PREF=1/i.test(match[1]);
      found[preferred ? "unshift" : "push"](match[2].trim());
    }
  }
  return found;
}

function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function htmlBody(text) {
  return text.split(/\n{2,}/).map(p => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`).join("\n");
}

function createGuard(messenger, options = {}) {
  const timeoutMs = options.timeoutMs ?? HOST_TIMEOUT_MS;
  const passOnce = new Set();   // tabs allowed one send past a warning (Send anyway)
  const closingFor = new Map(); // tab -> the addresses its draft now closes the loop with
  const pending = new Map();    // window id -> what the NetGuard window shows
  let saidUnreachable = false;
  let nextId = 1;

  const books = () => messenger.addressBooks;

  async function ask(request) {
    let timer;
    const late = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(new Error("NetGuard did not answer in time")), timeoutMs);
    });
    try {
      return await Promise.race([messenger.runtime.sendNativeMessage(HOST, request), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function contactEmails(recipient) {
    if (recipient.type === "mailingList") {
      const members = await books().mailingLists.getMembers(recipient.id);
      return members.map(member => emailsOfVCard(member.vCard)[0]).filter(Boolean);
    }
    const contact = await books().contacts.get(recipient.id);
    return emailsOfVCard(contact && contact.vCard).slice(0, 1);
  }

  async function addresses(recipients) {
    const found = [];
    for (const recipient of recipients || []) {
      if (typeof recipient === "string") {
        found.push(addressOf(recipient));
      } else {
        found.push(...await contactEmails(recipient));
      }
    }
    return found;
  }

  async function sender(details) {
    if (details.from) {
      return (await addresses([details.from]))[0] || "";
    }
    const identity = details.identityId && await messenger.identities.get(details.identityId);
    return identity ? identity.email : "";
  }

  async function request(tabId, details, lint) {
    return {
      type: "check",
      from: await sender(details),
      to: await addresses(details.to),
      cc: await addresses(details.cc),
      body: details.plainTextBody || "",
      closing_for: closingFor.get(tabId) || [],
      lint, // on a send the host lints only when it warns: a clear send stays fast
    };
  }

  async function notify(message) {
    try {
      await messenger.notifications.create(UNREACHABLE_NOTICE, {
        type: "basic",
        iconUrl: "icons/netguard-32.png",
        title: messenger.i18n.getMessage("extensionName"),
        message,
      });
    } catch (err) {
      console.warn("NetGuard: could not show a notification", err);
    }
  }

  async function sayUnreachableOnce(detail) {
    if (saidUnreachable) {
      return;
    }
    saidUnreachable = true;
    const sentence = messenger.i18n.getMessage("hostUnreachable");
    await notify(detail ? `${sentence}\n${detail}` : sentence);
  }

  async function openWindow(tabId, answer, mode) {
    const id = nextId++;
    pending.set(id, { tabId, answer, mode });
    await messenger.windows.create({
      url: `popup/warn.html?id=${id}`, type: "popup", width: 600, height: 560,
    });
    return id;
  }

  async function onBeforeSend(tab, details) {
    if (passOnce.delete(tab.id)) {
      return {};
    }
    let answer;
    try {
      answer = await ask(await request(tab.id, details, false));
    } catch (err) {
      await sayUnreachableOnce(err && err.message);
      return {};
    }
    if (!answer || !answer.ok) {
      await sayUnreachableOnce(answer && answer.message);
      return {};
    }
    if (answer.verdict !== "warn") {
      closingFor.delete(tab.id);
      return {};
    }
    await openWindow(tab.id, answer, "send");
    return { cancel: true };
  }

  async function checkNow(tab) {
    let answer;
    try {
      const details = await messenger.compose.getComposeDetails(tab.id);
      answer = await ask(await request(tab.id, details, true));
    } catch (err) {
      answer = { ok: false, message: messenger.i18n.getMessage("hostUnreachable") };
    }
    return openWindow(tab.id, answer, "check");
  }

  async function closeTheLoop(entry) {
    const warned = entry.answer.recipients.filter(r => r.warn).map(r => r.address);
    if (!warned.length) {
      return;
    }
    let text;
    try {
      text = await ask({ type: "close_loop", to: warned[0] });
    } catch (err) {
      text = { ok: false, message: err && err.message };
    }
    if (!text.ok) {
      await notify(text.message || messenger.i18n.getMessage("hostUnreachable"));
      return;
    }
    const details = await messenger.compose.getComposeDetails(entry.tabId);
    const update = details.isPlainText ? { plainTextBody: text.body } : { body: htmlBody(text.body) };
    await messenger.compose.setComposeDetails(entry.tabId, update);
    closingFor.set(entry.tabId, [warned[0]]);
  }

  async function choose(id, choice) {
    const entry = pending.get(id);
    pending.delete(id);
    if (!entry) {
      return;
    }
    if (choice === "send") {
      passOnce.add(entry.tabId);
      try {
        await messenger.compose.sendMessage(entry.tabId);
      } catch (err) {
        passOnce.delete(entry.tabId);
        console.error("NetGuard: Send anyway failed", err);
      }
    } else if (choice === "close-loop") {
      await closeTheLoop(entry);
    }
  }

  function onMessage(message) {
    if (message && message.kind === "get") {
      return Promise.resolve(pending.get(message.id) || null);
    }
    if (message && message.kind === "choice") {
      return choose(message.id, message.choice);
    }
    return undefined;
  }

  return { onBeforeSend, checkNow, onMessage, choose, ask };
}

if (typeof module === "object" && module.exports) {
  module.exports = { createGuard, addressOf, emailsOfVCard, htmlBody, HOST };
}
