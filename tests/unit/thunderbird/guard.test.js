// The add-on's decisions (resources/thunderbird/guard.js) with a stand-in `messenger`.
// Run by tests/unit/test_thunderbird_addon.py through `node --test`.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const { createGuard, addressOf, emailsOfVCard } = require(
  path.join(__dirname, "..", "..", "..", "resources", "thunderbird", "guard.js"));

const FRANK = "frank@example.com";
const WARN = {
  ok: true, type: "check", verdict: "warn",
  recipients: [{ address: FRANK, warn: true, findings: [{ message: "m", advice: "a" }] }],
  lint: { findings: [] },
};
const CLEAR = { ok: true, type: "check", verdict: "clear", recipients: [], lint: { findings: [] } };

function fakeMessenger(host) {
  const log = { asked: [], windows: [], notices: [], sent: [], set: [] };
  const messenger = {
    log,
    runtime: {
      sendNativeMessage: async (name, request) => {
        assert.equal(name, "netguard");
        log.asked.push(request);
        return host(request);
      },
    },
    windows: { create: async spec => { log.windows.push(spec); return { id: 1 }; } },
    notifications: { create: async (id, spec) => { log.notices.push(spec.message); } },
    i18n: { getMessage: key => `<${key}>` },
    identities: { get: async () => ({ email: "me@mine.nl" }) },
    addressBooks: {
      contacts: {
        get: async id => ({ id, vCard: "BEGIN:VCARD\r\nEMAIL:other@x.org\r\n"
          + "EMAIL;PREF=1:anna@example.com\r\nEND:VCARD" }),
      },
      mailingLists: {
        getMembers: async () => [{ vCard: "EMAIL:l1@x.org" }, { vCard: "EMAIL:l2@x.org" }],
      },
    },
    compose: {
      getComposeDetails: async () => ({ isPlainText: true, to: [FRANK], plainTextBody: "hi" }),
      setComposeDetails: async (tabId, details) => { log.set.push([tabId, details]); },
      sendMessage: async tabId => { log.sent.push(tabId); },
    },
  };
  return messenger;
}

const TAB = { id: 7 };
const DETAILS = { from: "Me <me@mine.nl>", to: ["Frank <frank@example.com>"], cc: [],
  plainTextBody: "Any news?", isPlainText: true };

test("a clear verdict lets the mail go at once, with no window", async () => {
  const messenger = fakeMessenger(() => CLEAR);
  const guard = createGuard(messenger);
  assert.deepEqual(await guard.onBeforeSend(TAB, DETAILS), {});
  assert.deepEqual(messenger.log.asked, [{ type: "check", from: "me@mine.nl", to: [FRANK],
    cc: [], body: "Any news?", closing_for: [], lint: false }]);
  assert.equal(messenger.log.windows.length, 0);
});

test("address-book entries and lists are resolved to addresses", async () => {
  const messenger = fakeMessenger(() => CLEAR);
  const guard = createGuard(messenger);
  await guard.onBeforeSend(TAB, { identityId: "id1", to: [{ id: "c1", type: "contact" }],
    cc: [{ id: "l1", type: "mailingList" }], plainTextBody: "" });
  const [asked] = messenger.log.asked;
  assert.deepEqual([asked.from, asked.to, asked.cc],
    ["me@mine.nl", ["anna@example.com"], ["l1@x.org", "l2@x.org"]]);
});

test("a warning cancels the send and opens the window with the answer", async () => {
  const messenger = fakeMessenger(() => WARN);
  const guard = createGuard(messenger);
  assert.deepEqual(await guard.onBeforeSend(TAB, DETAILS), { cancel: true });
  assert.equal(messenger.log.windows.length, 1);
  assert.match(messenger.log.windows[0].url, /^popup\/warn\.html\?id=\d+$/);
  const id = Number(messenger.log.windows[0].url.split("=")[1]);
  assert.deepEqual(await guard.onMessage({ kind: "get", id }), { tabId: 7, answer: WARN, mode: "send" });
});

test("Send anyway lets exactly one send through", async () => {
  const messenger = fakeMessenger(() => WARN);
  const guard = createGuard(messenger);
  await guard.onBeforeSend(TAB, DETAILS);
  await guard.onMessage({ kind: "choice", id: 1, choice: "send" });
  assert.deepEqual(messenger.log.sent, [7]);
  assert.deepEqual(await guard.onBeforeSend(TAB, DETAILS), {}); // the send it started
  assert.deepEqual(await guard.onBeforeSend(TAB, DETAILS), { cancel: true }); // the next one
  await guard.onMessage({ kind: "choice", id: 1, choice: "send" }); // a stale choice does nothing
  assert.deepEqual(messenger.log.sent, [7]);
});

test("Close the loop instead puts the text in the draft and marks it as the closing", async () => {
  const messenger = fakeMessenger(request => request.type === "close_loop"
    ? { ok: true, subject: "Closing", body: "Dear Frank,\n\nAll the best" } : WARN);
  const guard = createGuard(messenger);
  await guard.onBeforeSend(TAB, DETAILS);
  await guard.onMessage({ kind: "choice", id: 1, choice: "close-loop" });
  assert.deepEqual(messenger.log.set, [[7, { plainTextBody: "Dear Frank,\n\nAll the best" }]]);
  assert.deepEqual(messenger.log.sent, []);
  await guard.onBeforeSend(TAB, DETAILS);
  assert.deepEqual(messenger.log.asked.at(-1).closing_for, [FRANK]);
});

test("Cancel sends nothing and changes nothing", async () => {
  const messenger = fakeMessenger(() => WARN);
  const guard = createGuard(messenger);
  await guard.onBeforeSend(TAB, DETAILS);
  await guard.onMessage({ kind: "choice", id: 1, choice: "cancel" });
  assert.deepEqual([messenger.log.sent, messenger.log.set], [[], []]);
});

test("a missing host never holds the mail, and says so once", async () => {
  const messenger = fakeMessenger(() => { throw new Error("No such native application netguard"); });
  const guard = createGuard(messenger);
  assert.deepEqual(await guard.onBeforeSend(TAB, DETAILS), {});
  assert.deepEqual(await guard.onBeforeSend(TAB, DETAILS), {});
  assert.equal(messenger.log.notices.length, 1);
  assert.match(messenger.log.notices[0], /<hostUnreachable>/);
});

test("a host that cannot judge or hangs lets the mail go", async () => {
  const cannot = fakeMessenger(() => ({ ok: false, error: "no_store", message: "no history" }));
  assert.deepEqual(await createGuard(cannot).onBeforeSend(TAB, DETAILS), {});
  assert.match(cannot.log.notices[0], /no history/);
  const hangs = fakeMessenger(() => new Promise(() => {}));
  assert.deepEqual(await createGuard(hangs, { timeoutMs: 20 }).onBeforeSend(TAB, DETAILS), {});
});

test("Check with NetGuard shows the window for the current draft", async () => {
  const messenger = fakeMessenger(() => CLEAR);
  const id = await createGuard(messenger).checkNow(TAB);
  assert.deepEqual([messenger.log.asked[0].body, messenger.log.asked[0].lint], ["hi", true]);
  assert.equal(messenger.log.windows.length, 1);
  assert.ok(id >= 1);
});

test("addresses from recipients and vCards", () => {
  assert.equal(addressOf("Frank de Vries <frank@example.com>"), FRANK);
  assert.equal(addressOf(" frank@example.com "), FRANK);
  assert.deepEqual(emailsOfVCard("item1.EMAIL;TYPE=work:w@x.org\nEMAIL;PREF=1:p@x.org"),
    ["p@x.org", "w@x.org"]);
});
