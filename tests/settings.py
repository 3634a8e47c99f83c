"""The test suite's settings: config/settings.py with the development defaults.

DEBUG is off by default (production); the suite runs as a developer machine does,
with `make run`'s DEBUG=true (no HTTPS redirect, no static manifest needed). Set in
os.environ before config.settings is read, so the processes the tests start (live
servers, Celery workers, `manage.py`) get it too; a test that wants production
passes DEBUG=false to its subprocess.
"""

import os

os.environ.setdefault("DEBUG", "true")

from config.settings import *  # noqa: F403
