"""Alembic migrations of the practice database, run by the app itself (no alembic.ini).

``versions/`` holds one script per schema change, oldest first; each is a
frozen snapshot and never imports ``schema.py``. To add one, write
``versions/NNNN_what.py`` with ``revision``/``down_revision`` (or generate it
with ``nmt_bodymap.store.engine.alembic_config`` and ``alembic.command.revision``),
move :data:`nmt_bodymap.store.schema.HEAD_REVISION` to it, and keep a database
made by the previous version in ``tests/fixtures/store``.
"""
