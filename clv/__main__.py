"""``python -m clv``: the command-line door onto the same functions as the app."""

import sys

from clv.cli import main

sys.exit(main())
