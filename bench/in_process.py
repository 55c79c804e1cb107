"""What one request costs inside one app-server process, without HTTP: CPU and wall ms
and queries per request, for logged-in readers' first and later views and for distinct
searches (the bench database of bench/load.py, production settings as hub/wsgi.py).

    .venv/bin/python bench/in_process.py [--readers 1500] [--searches 300]

The load test's ratios say how a page compares with hello; this says where the time
goes: a reader's first page on a server against their next ones, queries included.
"""

import argparse
import collections
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def environ(path, query, cookie):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8931",
        "HTTP_HOST": "127.0.0.1:8931",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_COOKIE": cookie,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def main_table(sql):
    """The table after the statement's own FROM (not a subquery's)."""
    depth = 0
    for position, character in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and sql.startswith(" FROM ", position):
            return sql[position + 6 :].split()[0].strip('"')
    return sql[:30]


def measure(data, readers, searches):
    from django.db import connection

    from hub.wsgi import application

    queries = collections.Counter()

    def count(execute, sql, params, many, context):
        queries[main_table(sql)] += 1
        return execute(sql, params, many, context)

    def get(url, cookie):
        path, _, query = url.partition("?")
        statuses = []
        body = application(environ(path, query, cookie), lambda s, h, e=None: statuses.append(s))
        b"".join(body)
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{url}: {statuses[0]}")

    def timed(label, requests):
        queries.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        with connection.execute_wrapper(count):
            for url, cookie in requests:
                get(url, cookie)
        n = len(requests)
        cpu, wall = (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n
        top = ", ".join(f"{table} {c / n:.2f}" for table, c in queries.most_common(4))
        print(f"{label}: {cpu:.2f} ms CPU, {wall:.2f} ms wall, {sum(queries.values()) / n:.2f} "
              f"queries per request ({top or 'none'})")  # fmt: skip

    articles = data["articles"]
    cookies = [f"sessionid={key}" for key in data["sessions"][:readers]]
    # Every page's shell made once (by readers not in the measured set).
    spare = data["sessions"][-len(articles) :]
    for article, key in zip(articles, spare, strict=True):
        get(article, f"sessionid={key}")
    for sweep in range(3):
        label = "logged in, each reader's first page here" if sweep == 0 else (
            f"logged in, sweep {sweep + 1} (known readers, another article)")  # fmt: skip
        timed(label, [(articles[(i + sweep) % len(articles)], c) for i, c in enumerate(cookies)])
    found = data["searches"]
    for url in found[:20]:
        get(url, data["declared"])
    asked = found[20 : 20 + searches]
    timed("search, distinct queries", [(url, data["declared"]) for url in asked])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1500)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hub_bench")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        import django

        django.setup()
        return measure(json.loads(Path(args.measure).read_text()), args.readers, args.searches)

    sys.path.insert(0, str(ROOT / "bench"))
    import load

    env = load.environment(args.database_url)
    env["DJANGO_DB_HEALTH_CHECKS"] = "off"  # as hub/wsgi.py sets it for the app servers
    data = load.prepare(env)
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(data, file)
        file.flush()
        command = [load.PYTHON, __file__, "--measure", file.name,
                   "--readers", str(args.readers), "--searches", str(args.searches)]  # fmt: skip
        subprocess.run(command, cwd=ROOT, env=env, check=True, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
