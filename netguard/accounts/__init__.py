"""Setting up an account from an e-mail address: the provider table, Mozilla autoconfig, MX.

Qt-free and typed. ``detect(address)`` (``netguard.accounts.detect``) returns a ``Detected``
saying what was found and where; the CLI and the Account dialog show it before anything is saved.
"""
