"""``python -m nmt_bodymap``: the same as the ``nmt-bodymap`` command."""

import sys

from nmt_bodymap.cli import main

sys.exit(main())
