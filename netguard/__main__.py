"""``python -m netguard`` and the frozen app's entry point."""

import sys

from netguard.cli.main import run

if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        multiprocessing.freeze_support()  # in the frozen app, the sync's parser process starts here
    run()
