"""Time a sign-up with a new address against one with a registered address.

With enumeration prevention both answer alike; this shows whether their delay gives
them away. Uses the configured password hasher (PBKDF2 unless settings say otherwise),
emails kept in memory and allauth's rate limits off. Builds the data in a throw-away
SQLite file, or, with DATABASE_URL set, in a "test_" database beside that one which it
creates and drops afterwards (the named database itself is never touched).

    .venv/bin/python bench/signup_timing.py [--repeat 15]
"""

import argparse
import os
import statistics
import sys
import time

from scratch import ScratchDatabase


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    os.environ["EMAIL_URL"] = "memorymail://"
    database = ScratchDatabase()
    from django.conf import settings
    from django.contrib.auth.hashers import get_hasher
    from django.core import mail
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # lets the test client in (ALLOWED_HOSTS), keeps mail in memory
    settings.ACCOUNT_RATE_LIMITS = False  # or the 21st sign-up from one address gets a 429

    def sign_up(email):
        data = {
            "email": email,
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "full_name": "Dr Bench",
            "profession": "physician",
            "specialty": "Haematology",
            "country": "DE",
            "institution": "Bench Hospital",
            "hcp_declaration": "on",
        }
        client = Client()
        start = time.perf_counter()
        response = client.post(reverse("account_signup"), data)
        elapsed = time.perf_counter() - start
        if response.status_code != 302:
            sys.exit(f"sign-up with {email} answered {response.status_code}")
        return elapsed

    sign_up("registered@example.org")  # the registered address; also warms up
    timings = {"new": [], "registered": []}
    for n in range(args.repeat):  # alternate, so drift hits both alike
        timings["new"].append(sign_up(f"new{n}@example.org"))
        timings["registered"].append(sign_up("registered@example.org"))

    hasher = get_hasher()
    rounds = getattr(hasher, "iterations", "-")
    print(f"{args.repeat} sign-ups each on {connection.vendor}, hasher {hasher.algorithm}"
          f" ({rounds} iterations), {len(mail.outbox)} emails")  # fmt: skip
    medians = {path: statistics.median(t) * 1000 for path, t in timings.items()}
    for path, t in timings.items():
        print(f"{path:>10} address: median {medians[path]:.0f} ms "
              f"(min {min(t) * 1000:.0f}, max {max(t) * 1000:.0f})")  # fmt: skip
    print(f"registered / new: {medians['registered'] / medians['new']:.2f}")
    database.close()


if __name__ == "__main__":
    main()
