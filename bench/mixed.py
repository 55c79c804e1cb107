"""A mixed minute on the production profile, then a check that nothing was lost or doubled.

    .venv/bin/python bench/mixed.py            # or: make bench-mixed
    .venv/bin/python bench/mixed.py --seconds 20 --clients 12

Clients run at once against gunicorn (two workers) for the given time: readers
browsing, sign-ups, bench readers submitting a quiz, and bench readers toggling
bookmarks. Each client remembers what the site told it; afterwards the database must
hold exactly that: one account per accepted sign-up, one attempt per accepted
submission, and each bookmark in the state its reader last asked for. It prints the
counts and exits non-zero on any error, loss or duplicate.
"""

import argparse
import json
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project (tests/)
sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # the bench's shared set-up

from tests.http_client import Browser

PORT = load.PORT


class Client(Browser):
    """A bench client: every request goes to the bench server."""

    def fetch(self, method, path, form=None):
        response = self.request(PORT, method, path, form)
        return response.status, response.text

    def csrf(self, path):
        response, token = self.token(PORT, path)
        return response.status, token


class Run:
    def __init__(self, data, seconds):
        self.data = data
        self.deadline = time.monotonic() + seconds
        self.lock = threading.Lock()
        self.errors = []
        self.requests = Counter()
        self.signed_up = []
        self.submitted = []
        self.bookmarks = {}  # (session, article id) -> wanted state

    def going(self):
        return time.monotonic() < self.deadline

    def note(self, kind, status, expected):
        with self.lock:
            self.requests[kind] += 1
            if status not in expected:
                self.errors.append(f"{kind}: HTTP {status}")
        return status in expected


def guarded(work):
    """A client whose request raised counts as an error, not a silent dead thread."""

    def run_guarded(run, *args):
        try:
            work(run, *args)
        except Exception as exc:
            with run.lock:
                run.errors.append(f"{work.__name__}: {exc!r}")

    return run_guarded


@guarded
def reader(run):
    client = Client({"hub_hcp": run.data["declared"].split("=", 1)[1]})
    paths = ["/", "/articles/", run.data["article"], "/topics/", "/search/?q=myeloma"]
    while run.going():
        status, _ = client.fetch("GET", random.choice(paths))
        run.note("read", status, {200})


# allauth allows 20 sign-ups a minute from one address; all bench clients share one.
SIGNUPS_PER_MINUTE = 18


@guarded
def signer_up(run, number, clients):
    n = 0
    while run.going():
        n += 1
        client = Client()
        email = f"mixed-{number}-{n}-{random.randrange(10**9)}@bench.invalid"
        status, token = client.csrf("/accounts/signup/")
        if not run.note("signup form", status, {200}) or token is None:
            continue
        form = {
            "csrfmiddlewaretoken": token,
            "email": email,
            "password1": "a-long-bench-password-42",
            "password2": "a-long-bench-password-42",
            "full_name": "Bench Reader",
            "profession": "physician",
            "specialty": "haematology",
            "country": "GB",
            "institution": "Bench Hospital",
            "hcp_declaration": "on",
        }
        status, _ = client.fetch("POST", "/accounts/signup/", form)
        if run.note("sign-up", status, {302}):
            with run.lock:
                run.signed_up.append(email)
        time.sleep(60 * clients / SIGNUPS_PER_MINUTE)


@guarded
def submitter(run, sessions):
    for session in sessions:
        if not run.going():
            return
        client = Client({"sessionid": session})
        status, token = client.csrf(run.data["quiz"])
        if not run.note("quiz form", status, {200}) or token is None:
            continue
        form = {"csrfmiddlewaretoken": token, **run.data["answers"]}
        status, _ = client.fetch("POST", run.data["quiz"], form)
        if run.note("quiz submission", status, {302}):
            with run.lock:
                run.submitted.append(session)


@guarded
def bookmarker(run, sessions):
    clients = [Client({"sessionid": session}) for session in sessions]
    while run.going():
        client = random.choice(clients)
        article = random.choice(run.data["article_ids"])
        wanted = random.choice(["add", "remove"])
        status, token = client.csrf("/articles/")
        if not run.note("bookmark page", status, {200}) or token is None:
            continue
        form = {"csrfmiddlewaretoken": token, "action": wanted, "next": "/articles/"}
        status, _ = client.fetch("POST", f"/accounts/bookmarks/{article}/", form)
        if run.note("bookmark toggle", status, {302}):
            with run.lock:
                run.bookmarks[(client.cookies["sessionid"], article)] = wanted == "add"


def check_database(env, run):
    code = f"""
import json, django
django.setup()
from accounts.models import Bookmark, User
from django.contrib.sessions.models import Session
from quizzes.models import Attempt
signed = {json.dumps(run.signed_up)}
users = list(User.objects.filter(email__in=signed).values_list("email", flat=True))
sessions = {json.dumps(sorted({s for s, _ in run.bookmarks} | set(run.submitted)))}
owner = {{s.session_key: int(s.get_decoded()["_auth_user_id"])
          for s in Session.objects.filter(session_key__in=sessions)}}
attempts = list(Attempt.objects.filter(user_id__in=[owner[s] for s in {json.dumps(run.submitted)}])
                .values_list("user_id", flat=True))
marks = set(Bookmark.objects.filter(user_id__in=owner.values())
            .values_list("user_id", "article_id"))
print(json.dumps({{"users": users, "owner": owner, "attempts": attempts,
                   "bookmarks": [list(m) for m in marks]}}))
"""
    out = subprocess.run(
        [load.PYTHON, "-c", code], cwd=load.ROOT, env=env, check=True, capture_output=True,
        text=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_bench")
    args = parser.parse_args()
    env = load.environment(args.database_url)
    data = load.prepare(env)
    servers = load.Servers(env, workers=2, hello=False)
    run = Run(data, args.seconds)
    sessions = data["sessions"]
    quarter = max(1, args.clients // 4)
    threads = [threading.Thread(target=reader, args=(run,)) for _ in range(quarter)]
    threads += [threading.Thread(target=signer_up, args=(run, n, quarter)) for n in range(quarter)]
    takers = [sessions[i::quarter] for i in range(quarter)]
    threads += [threading.Thread(target=submitter, args=(run, part[:1000])) for part in takers]
    markers = [sessions[-(i + 1) * 50 : -i * 50 or None] for i in range(quarter)]
    threads += [threading.Thread(target=bookmarker, args=(run, part)) for part in markers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        servers.stop()

    found = check_database(env, run)
    problems = list(run.errors)
    if Counter(found["users"]) != Counter(run.signed_up):
        problems.append(f"accounts: {len(run.signed_up)} accepted, {len(found['users'])} stored")
    owners = [found["owner"][s] for s in run.submitted]
    if Counter(found["attempts"]) != Counter(owners):
        problems.append(f"attempts: {len(owners)} accepted, {len(found['attempts'])} stored")
    stored = {tuple(mark) for mark in found["bookmarks"]}
    wanted = {(found["owner"][s], a) for (s, a), on in run.bookmarks.items() if on}
    if stored != wanted:
        problems.append(f"bookmarks: {len(wanted)} wanted, {len(stored)} stored")

    print(f"\n{args.seconds} s, {len(threads)} clients: " + ", ".join(
        f"{count} {kind}" for kind, count in sorted(run.requests.items())
    ))  # fmt: skip
    print(
        f"accounts {len(found['users'])}/{len(run.signed_up)}, "
        f"attempts {len(found['attempts'])}/{len(owners)}, "
        f"bookmarks {len(stored)}/{len(wanted)} (stored/expected)"
    )
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems[:20]))
        sys.exit(1)
    print("no errors, nothing lost, nothing doubled")


if __name__ == "__main__":
    main()
