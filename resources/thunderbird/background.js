/* Wires the guard (guard.js) to Thunderbird's events. */
"use strict";

const guard = createGuard(messenger);

messenger.compose.onBeforeSend.addListener((tab, details) => guard.onBeforeSend(tab, details));
messenger.composeAction.onClicked.addListener(tab => guard.checkNow(tab));
messenger.runtime.onMessage.addListener(message => guard.onMessage(message));
