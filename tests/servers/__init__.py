"""Real servers the integration tests start themselves on 127.0.0.1 (Dovecot, pymap, SMTP)."""
