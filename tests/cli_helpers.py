"""Running the command line inside a test: ``run(capsys, "atlas", "check", ...)``.

Import it into a test module (``from cli_helpers import run``). argparse
exits with SystemExit on its own errors (and on ``--help``); the helper turns
that into the exit status, so every test reads the status and the output
the same way.
"""

from __future__ import annotations

import pytest

from nmt_bodymap.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``nmt-bodymap ARGS...``; its exit status, standard output and standard error."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
