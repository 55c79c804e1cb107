"""A tiny HTTP client that keeps its own cookies, for talking to a production-profile server.

The servers speak plain HTTP on loopback but set Secure cookies (they trust
X-Forwarded-Proto: https), which http.cookiejar would never send back; this client
sends every cookie it was given. Used by tests/hub/test_two_servers.py and bench/mixed.py.
"""

import http.client
import re
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    def __init__(self, cookies=None, timeout=30):
        self.cookies = dict(cookies or {})
        self.timeout = timeout

    def request(self, port, method, path, form=None):
        """The response, with its body decoded as `response.text`."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Referer": "https://127.0.0.1/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.text = response.read().decode()
        finally:
            connection.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response

    def get(self, port, path):
        return self.request(port, "GET", path)

    def token(self, port, path):
        """GET a page; (the response, its first CSRF token or None)."""
        page = self.get(port, path)
        match = TOKEN.search(page.text)
        return page, match.group(1) if match else None

    def post(self, port, path, form, token_from=None):
        """POST a form with the CSRF token of the page at `token_from` (default: `path`)."""
        _, token = self.token(port, token_from or path)
        return self.request(port, "POST", path, {"csrfmiddlewaretoken": token, **form})
