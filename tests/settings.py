"""The test suite's settings: config/settings.py with the development defaults.

DEBUG is off by default (production); the suite runs as a developer machine does,
with `make run`'s DEBUG=true (no HTTPS redirect, no static manifest needed). Set in
os.environ before config.settings is read, so the processes the tests start (live
servers, Celery workers, `manage.py`) get it too; a test that wants production
passes DEBUG=false to its subprocess.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "true")
# Uploaded sources go to a directory of this run (its workers inherit the variable),
# removed when the run ends.
if "SOURCES_ROOT" not in os.environ:
    os.environ["SOURCES_ROOT"] = tempfile.mkdtemp(prefix="casetracker-sources-")
    atexit.register(shutil.rmtree, os.environ["SOURCES_ROOT"], True)

from config.settings import *  # noqa: F403
