"""The outbox guard for any mail client (SPEC §8): a local SMTP submission relay."""
