"""Pictures drawn with QtGui: chart views, atlas sheets and exports.

Nothing here opens a window, so the command line can render headless.
"""
