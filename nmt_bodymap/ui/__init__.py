"""The desktop app: PySide6 widgets over the Qt-free core.

Widgets receive their model in the constructor and listen to its signals;
the models never know about widgets.
"""
