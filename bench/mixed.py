"""A mixed minute on the production profile, then a check that nothing was lost or doubled.

    .venv/bin/python bench/mixed.py            # or: make bench-mixed
    .venv/bin/python bench/mixed.py --seconds 20 --clients 12

Clients run at once against gunicorn (two workers) for the given time: readers
browsing, sign-ups, bench readers submitting a quiz, bench readers toggling bookmarks,
an editor changing articles while readers look, and readers logging out. Meanwhile
faults strike: the bench's own Redis is killed and started again, PostgreSQL drops
every connection to the bench database, and the task worker is killed mid-run.

With --proxy every client goes through Varnish, which the app servers purge.

Each client remembers what the site told it; afterwards the database must hold
exactly that: one account per accepted sign-up, one attempt per accepted submission,
each bookmark in the state its reader last asked for, and one verification email sent
per sign-up, once. Every article page read right after its change committed must show
it (no stale page), and no session may work after its log-out. It prints the counts
and exits non-zero on any error, loss, duplicate, stale page or live session.
"""

import argparse
import json
import random
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project (tests/)
sys.path.insert(0, str(Path(__file__).resolve().parent))
import faults  # the faults it strikes, and checks run in Django
import load  # the bench's shared set-up

from tests.http_client import Browser

PORT = load.PORT  # or Varnish's, with --proxy


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
        self.seconds = seconds
        self.started = time.monotonic()
        self.deadline = self.started + seconds
        self.lock = threading.Lock()
        self.errors = []
        self.requests = Counter()
        self.signed_up = []
        self.submitted = []
        self.bookmarks = {}  # (session, article id) -> wanted state
        self.stale = []  # pages read after a change committed that did not show it
        self.changes = 0
        self.logged_out = 0
        self.alive_after_logout = []
        self.faults = []

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


@guarded
def editor(run, env):
    """Change an article's summary, and as soon as the save has committed, read its page,
    the article list and a search for the new words as a declared reader: all must show
    the change (the search's page and rows come from what the app server keeps)."""
    process = subprocess.Popen(
        [load.PYTHON, str(Path(__file__).with_name("editor.py"))], cwd=load.ROOT, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    client = Client({"hub_hcp": run.data["declared"].split("=", 1)[1]})
    pages = dict(zip(run.data["article_ids"], run.data["articles"], strict=True))
    try:
        while run.going():
            article = random.choice(run.data["article_ids"])
            words = f"Revised summary {random.randrange(10**12)}."
            process.stdin.write(f"{article} {words}\n")
            process.stdin.flush()
            if process.stdout.readline().strip() != f"saved {article}":
                run.errors.append("editor: the save did not commit")
                return
            with run.lock:
                run.changes += 1
            number = words.split()[-1].rstrip(".")
            search = "/search/?" + urlencode({"q": f"revised summary {number}"})
            for path, shown in ((pages[article], words), ("/articles/", words), (search, number)):
                status, text = client.fetch("GET", path)
                run.note("read after a change", status, {200})
                if status == 200 and shown not in text:
                    with run.lock:
                        run.stale.append(path)
            time.sleep(0.5)
    finally:
        process.stdin.close()
        process.wait(timeout=10)


@guarded
def leaver(run, sessions):
    """Log bench readers out, and try their old session cookie straight after."""
    for session in sessions:
        if not run.going():
            return
        client = Client({"sessionid": session})
        status, token = client.csrf("/accounts/")
        if not run.note("account page", status, {200}) or token is None:
            continue
        status, _ = client.fetch("POST", "/accounts/logout/", {"csrfmiddlewaretoken": token})
        if not run.note("log-out", status, {302}):
            continue
        thief = Client({"sessionid": session})
        status, _ = thief.fetch("GET", "/accounts/")
        with run.lock:
            run.logged_out += 1
            if status == 200:
                run.alive_after_logout.append(session)
        time.sleep(0.2)


@guarded
def strike(run, env, processes, database_url):
    """Strike each fault at its share of the run, and note it."""
    plan = [(0.25, "redis"), (0.5, "postgres"), (0.6, "worker")]
    for share, fault in plan:
        while time.monotonic() < run.started + run.seconds * share:
            if not run.going():
                return
            time.sleep(0.1)
        if fault == "redis":
            faults.kill_and_restart(processes, "redis", faults.start_redis, 5)
            run.faults.append("Redis killed, started again 5 s later")
        elif fault == "postgres":
            dropped = faults.drop_connections(database_url)
            run.faults.append(f"PostgreSQL dropped {dropped} connections")
        else:
            faults.kill_and_restart(processes, "worker", lambda: faults.start_worker(env), 3)
            run.faults.append("worker killed, started again 3 s later")


def check_database(env, run):
    code = f"""
import json, django
django.setup()
from accounts.models import Bookmark, Session, User
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
    return faults.in_django(env, code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument(
        "--proxy", action="store_true", help="every client through Varnish (deploy/hub.vcl)"
    )
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_bench")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("redis-server is missing: the mixed minute runs a Redis of its own to kill.")
    env = load.environment(args.database_url)
    env.update(
        {"REDIS_URL": f"redis://127.0.0.1:{faults.REDIS_PORT}/0", "HUB_TASK_LEASE_SECONDS": "10"}
    )
    processes = {"redis": faults.start_redis()}
    data = load.prepare(env)
    if args.proxy:
        global PORT
        PORT = load.VARNISH_PORT
        # Every process that saves content purges the proxy: the editor, the worker too.
        env["HUB_PURGE_URLS"] = f"http://127.0.0.1:{load.VARNISH_PORT}/"
    servers = load.Servers(env, workers=2, hello=False, proxy=args.proxy)
    processes["worker"] = faults.start_worker(env)
    run = Run(data, args.seconds)
    sessions = data["sessions"]
    quarter = max(1, args.clients // 4)
    threads = [threading.Thread(target=reader, args=(run,)) for _ in range(quarter)]
    threads.append(threading.Thread(target=editor, args=(run, env)))
    # Each kind of client has readers of its own: quiz takers from the first 3,400, leavers
    # the next 400, bookmarkers the last 200.
    threads.append(threading.Thread(target=leaver, args=(run, sessions[3400:3800])))
    threads.append(threading.Thread(target=strike, args=(run, env, processes, args.database_url)))
    threads += [threading.Thread(target=signer_up, args=(run, n, quarter)) for n in range(quarter)]
    takers = [sessions[:3400][i::quarter] for i in range(quarter)]
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
        processes["worker"].terminate()
        processes["worker"].wait()

    try:
        found = check_database(env, run)
        emails = faults.check_emails(env, run.signed_up)
    finally:
        processes["redis"].terminate()
        processes["redis"].wait()
    problems = list(run.errors)
    counts = Counter(emails["per_address"].values())
    if set(counts) - {1} or emails["pending"] or emails["failed"]:
        problems.append(
            f"verification emails: {dict(counts)} (sends per sign-up: how many sign-ups), "
            f"{emails['pending']} still queued, {emails['failed']} failed"
        )
    if run.stale:
        problems.append(f"{len(run.stale)} stale pages after a change committed: {run.stale[:5]}")
    if run.alive_after_logout:
        problems.append(f"{len(run.alive_after_logout)} sessions alive after their log-out")
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
        f"bookmarks {len(stored)}/{len(wanted)} (stored/expected); "
        f"verification emails sent once: {counts.get(1, 0)}/{len(run.signed_up)}"
    )
    print(
        f"{run.changes} changes, {len(run.stale)} stale pages after them; "
        f"{run.logged_out} log-outs, {len(run.alive_after_logout)} sessions alive after"
    )
    print("faults: " + "; ".join(run.faults))
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems[:20]))
        sys.exit(1)
    print("no errors, nothing lost, nothing doubled")


if __name__ == "__main__":
    main()
