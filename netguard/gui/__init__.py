"""The PySide6 desktop app. The only package of NetGuard that imports Qt.

Everything here calls the same core functions the CLI calls; no logic lives only in the GUI.
"""
