"""Settings of a task worker the tests start, and kill, in a process of its own: the
project's, with emails written to files in HUB_TEST_MAIL_DIR."""

import os

from hub.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.common.stalling_email.EmailBackend"
EMAIL_FILE_PATH = os.environ["HUB_TEST_MAIL_DIR"]
