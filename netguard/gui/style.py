"""The app's look in one place: palette, style sheet, the primary-button style."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

STYLE = """
QToolBar { spacing: 6px; padding: 4px 6px; border: none; }
QToolButton { padding: 4px 8px; }
QTableView { border: 1px solid #d5d9df; selection-background-color: #dbe6f3;
             selection-color: #1d2733; alternate-background-color: #f6f7f9; }
QHeaderView::section { padding: 6px 8px; border: none; border-bottom: 1px solid #d5d9df;
                       background: #eef0f3; font-weight: 600; }
QTextBrowser, QScrollArea { border: 1px solid #d5d9df; background: #ffffff; }
QGroupBox { font-weight: 600; margin-top: 10px; padding-top: 8px; }
QGroupBox QLabel, QGroupBox QLineEdit, QGroupBox QComboBox { font-weight: normal; }
QStatusBar { color: #55606e; }
"""

PRIMARY = ("QPushButton { background: #3c5a7a; color: white; border: 1px solid #2f4862; "
           "border-radius: 4px; padding: 5px 18px; font-weight: 600; }"
           "QPushButton:hover { background: #34506d; }")


def palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#f4f5f7", QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f7f9", QPalette.ColorRole.Text: "#1d2733",
        QPalette.ColorRole.WindowText: "#1d2733", QPalette.ColorRole.Button: "#f8f9fa",
        QPalette.ColorRole.ButtonText: "#1d2733", QPalette.ColorRole.Highlight: "#3c5a7a",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#2f5d8c",
        QPalette.ColorRole.PlaceholderText: "#7a8491", QPalette.ColorRole.Mid: "#c3c8cf",
        QPalette.ColorRole.ToolTipBase: "#fffdf5", QPalette.ColorRole.ToolTipText: "#1d2733",
    }
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    return palette
