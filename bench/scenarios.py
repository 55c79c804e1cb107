"""What bench/load.py asks for: each scenario's request, as a wrk Lua script.

A scenario is a page and a kind of reader (anonymous, declared, logged in), a search
or a quiz submission; wrk replays its request, cycling through the readers' cookies
where there are several.
"""

import json
import tempfile

PORT = 8931
HELLO_PORT = 8932

# (name, target ratio to hello or None, gunicorn workers, wrk connections)
SCENARIOS = [
    ("article-anonymous", 0.40, 1, 8),
    ("article-declared", 0.40, 1, 8),
    ("home-anonymous", 0.40, 1, 8),
    ("home-declared", 0.40, 1, 8),
    ("article-logged-in", 0.10, 1, 8),
    ("search", 0.05, 1, 8),
    ("quiz-submission", None, 1, 8),
    ("article-declared-2-workers", None, 2, 16),
    ("article-logged-in-2-workers", None, 2, 16),
]
LUA = """
local method, path, body = %(method)s, %(path)s, %(body)s
local headers = %(headers)s
local cookies = %(cookies)s
local n = 0
request = function()
  n = n + 1
  local h = {}
  for k, v in pairs(headers) do h[k] = v end
  if #cookies > 0 then
    h["Cookie"] = (h["Cookie"] and (h["Cookie"] .. "; ") or "") .. cookies[(n %% #cookies) + 1]
  end
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
    """(method, path, body, headers, cookies to cycle) for a scenario."""
    base = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{PORT}"}
    declared = {**base, "Cookie": data["declared"]}
    first_session = [f"sessionid={data['sessions'][0]}"]
    page = name.removesuffix("-2-workers")
    if page == "hello":
        return "GET", "/", None, {**base, "Host": f"127.0.0.1:{HELLO_PORT}"}, []
    if page == "article-anonymous":
        return "GET", data["article"], None, base, []
    if page == "article-declared":
        return "GET", data["article"], None, declared, []
    if page == "home-anonymous":
        return "GET", "/", None, base, []
    if page == "home-declared":
        return "GET", "/", None, declared, []
    if page == "article-logged-in":
        return "GET", data["article"], None, base, first_session
    if page == "search":
        return "GET", "/search/?q=myeloma", None, declared, []
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
        return "POST", data["quiz"], body, headers, cookies
    raise ValueError(name)


def wrk_script(name, data):
    method, path, body, headers, cookies = request_for(name, data)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            LUA
            % {
                "method": lua_string(method),
                "path": lua_string(path),
                "body": lua_string(body),
                "headers": lua_table(headers),
                "cookies": lua_table(cookies),
            }
        )
    return script.name
