"""Ending a command's process without the interpreter's teardown (issue 18).

After ``main`` returns, Python tears itself down: it clears every module, runs the garbage
collector over what start-up built and frees it object by object. For ``netguard sync`` with
nothing new that cost some 20-40 ms of a 250 ms run, and nothing of it is seen from outside.
``exit_now`` does first what the teardown would do that matters (the ``atexit`` handlers:
logging's flush and close, multiprocessing's joins of its children, ``weakref.finalize``
callbacks; stdout and stderr flushed) and then ends the process with ``os._exit``. Objects still
alive are not finalized: the commands close the store themselves (``cli.main._close``: committed
and closed, its WAL checkpointed) and leave no file they write to the collector.

Where that cannot be known, the process exits as usual: another thread still runs (a normal
exit waits for it), or Qt is loaded (the app's windows and threads close in their destructors).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def exit_now(code: int) -> NoReturn:
    """Exit with ``code``: without the teardown where only the main thread runs and no Qt."""
    if threading.active_count() > 1 or "PySide6" in sys.modules:
        raise SystemExit(code)
    atexit._run_exitfuncs()  # run once: the list is empty afterwards
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None  # the usual exit reports it, as it always did
    os._exit(code)
