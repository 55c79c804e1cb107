"""An email backend that writes each message to a file (Django's file backend) and can
stall before or after it, so a test can kill the worker in the middle of a send.

HUB_TEST_STALL=before|after holds the send for HUB_TEST_STALL_SECONDS (60) before the
message is written, or after it is written and before the send returns.
"""

import os
import time

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def send_messages(self, email_messages):
        stall = os.environ.get("HUB_TEST_STALL")
        seconds = float(os.environ.get("HUB_TEST_STALL_SECONDS", "60"))
        if stall == "before":
            time.sleep(seconds)
        sent = super().send_messages(email_messages)
        if stall == "after":
            time.sleep(seconds)
        return sent
