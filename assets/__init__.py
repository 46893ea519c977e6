"""Body chart assets, shipped in the wheel as ``nmt_bodymap.assets``.

Not code: this marker makes the folder a resource package so that
``importlib.resources`` finds ``svg/*.svg`` in installed and editable
setups alike (see ``nmt_bodymap/resources.py``).
"""
