"""What bench/load.py asks for: each scenario's requests, as a wrk Lua script.

A scenario is real traffic, not one reader reloading one page: it cycles through every
published article (or distinct searches), and for logged-in readers through a thousand
and more bench readers' sessions, so most of what it asks are first views: a reader's
first look at a page, whether or not another reader's visit left a copy to serve.
"""

import hashlib
import json
import tempfile

PORT = 8931
HELLO_PORT = 8932

VARNISH_PORT = 8933

# (name, target ratio to hello or None, gunicorn workers, wrk connections). Names ending
# in -varnish go through Varnish (deploy/hub.vcl) in front of the app server.
SCENARIOS = [
    ("article-anonymous", 0.40, 1, 8),
    ("article-declared", 0.40, 1, 8),
    ("home-anonymous", 0.40, 1, 8),
    ("home-declared", 0.40, 1, 8),
    ("article-logged-in", 0.10, 1, 8),
    ("search", 0.05, 1, 8),
    ("search-2-workers", None, 2, 16),
    ("quiz-submission", None, 1, 8),
    ("article-declared-2-workers", None, 2, 16),
    ("article-logged-in-2-workers", None, 2, 16),
    ("article-declared-varnish", 2.0, 1, 8),
    ("home-declared-varnish", 2.0, 1, 8),
]
READERS_CYCLED = 1500  # logged-in readers in the logged-in scenarios
SEARCHES = 20000  # distinct queries in the search scenario (no run repeats one)
LUA = """
local method, body = %(method)s, %(body)s
local paths = %(paths)s
local headers = %(headers)s
local cookies = %(cookies)s
local n = %(offset)d
request = function()
  n = n + 1
  local h = {}
  for k, v in pairs(headers) do h[k] = v end
  if #cookies > 0 then
    h["Cookie"] = (h["Cookie"] and (h["Cookie"] .. "; ") or "") .. cookies[(n %% #cookies) + 1]
  end
  -- A stride that does not share a period with the cookies: each reader meets each page.
  local path = paths[((n + math.floor(n / math.max(#cookies, 1))) %% #paths) + 1]
  return wrk.format(method, path, h, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%.1f %%.1f\\n", summary.requests,
    summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95)))
end
"""


def lua_string(value):
    return "nil" if value is None else json.dumps(value)


def lua_table(mapping_or_list):
    if isinstance(mapping_or_list, dict):
        pairs = mapping_or_list.items()
        items = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in pairs)
    else:
        items = ", ".join(json.dumps(v) for v in mapping_or_list)
    return "{" + items + "}"


def request_for(name, data):
    """(method, paths to cycle, body, headers, cookies to cycle) for a scenario."""
    base = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{PORT}"}
    declared = {**base, "Cookie": data["declared"]}
    # A logged-in reader's browser holds the CSRF cookie that its log-in form set.
    readers = [
        f"sessionid={key}; csrftoken={hashlib.sha256(key.encode()).hexdigest()[:32]}"
        for key in data["sessions"][:READERS_CYCLED]
    ]
    articles = data["articles"]
    page = name.removesuffix("-2-workers").removesuffix("-varnish")
    if page == "hello":
        return "GET", ["/"], None, {**base, "Host": f"127.0.0.1:{HELLO_PORT}"}, []
    if page == "article-anonymous":
        return "GET", articles, None, base, []
    if page == "article-declared":
        return "GET", articles, None, declared, []
    if page == "home-anonymous":
        return "GET", ["/"], None, base, []
    if page == "home-declared":
        return "GET", ["/"], None, declared, []
    if page == "article-logged-in":
        return "GET", articles, None, base, readers
    if page == "search":
        return "GET", data["searches"][:SEARCHES], None, declared, []
    if page == "quiz-submission":
        token = "b" * 32  # an unmasked CSRF secret is a valid token for its own cookie
        fields = {**data["answers"], "csrfmiddlewaretoken": token}
        body = "&".join(f"{k}={v}" for k, v in fields.items())
        headers = {
            **base,
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{PORT}{data['quiz']}",
            "Cookie": f"csrftoken={token}",
        }
        cookies = [f"sessionid={key}" for key in data["sessions"]]
        return "POST", [data["quiz"]], body, headers, cookies
    raise ValueError(name)


def wrk_script(name, data, offset=0):
    """The script for a run that starts `offset` requests into the scenario's cycle (a
    run goes on where the one before it stopped: no run repeats another's requests)."""
    method, paths, body, headers, cookies = request_for(name, data)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA
            % {
                "method": lua_string(method),
                "paths": lua_table(paths),
                "body": lua_string(body),
                "headers": lua_table(headers),
                "cookies": lua_table(cookies),
                "offset": offset,
            }
        )
    return script.name
