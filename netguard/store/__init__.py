"""The local SQLite store: folders, message headers, recipients, contacts, my addresses."""

from netguard.store.db import open_store

__all__ = ["open_store"]
