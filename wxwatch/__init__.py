"""wxwatch: notice new WeChat figures in Chinese news coverage and alert on them."""

import sys

__version__ = "0.1.0"

# The CLI as a subprocess of itself (crawls of the daemon and the demo). -P keeps the current folder off sys.path:
# run from a source checkout, its wxwatch/ folder (whose subpackages live in sibling folders, see pyproject's
# package-dir) would otherwise shadow the installed package.
WXWATCH_COMMAND = (sys.executable, "-P", "-m", "wxwatch")
