"""Accounts: setting one up from an e-mail address, and how NetGuard logs in to the mail servers.

Setup: ``detect(address)`` (``netguard.accounts.detect``) reads the provider table, Mozilla
autoconfig and MX, and returns a ``Detected`` saying what was found and where; the CLI and the
Account dialog show it before anything is saved.

Logging in: ``credentials.credentials_for(settings)`` is the one door: mail/ and relay/ get a
``Credentials`` (a password from the keyring, or an OAuth2 sign-in whose refresh token is in the
keyring) and never know which kind. ``oauth`` holds the sign-in flow in the system browser,
``loopback`` the redirect receiver, ``tokens`` the refresh token's place in the keyring.
"""
