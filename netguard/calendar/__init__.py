"""Calendars (issue 19): the weekly networking hour as an RFC 5545 event. The only code that
knows calendars."""
