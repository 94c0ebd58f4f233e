"""NetGuard: see whom you pester and whom you neglect, before you send the fifth follow-up."""

__version__ = "0.1.0"
