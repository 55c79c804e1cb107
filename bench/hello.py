"""A bare WSGI app: the yardstick bench/load.py measures every page against."""


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "5")])
    return [b"hello"]
