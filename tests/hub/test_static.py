"""Static files in production: hashed, compressed names served by whitenoise."""

import gzip
import json
import re
import textwrap

from tests.hub.test_settings import PRODUCTION, run_python

PAGE_BUDGET_BYTES = 50 * 1024


def test_production_serves_hashed_compressed_assets_within_budget(tmp_path):
    script = textwrap.dedent(
        """
        import json
        import re

        import django
        django.setup()
        from django.core.management import call_command
        from django.test import Client
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        client = Client(HTTP_HOST="hub.example.org", HTTP_X_FORWARDED_PROTO="https")
        home = client.get("/")
        assets = {}
        for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', home.content.decode()):
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
            assets[url] = {
                "status": response.status_code,
                "encoding": response.get("Content-Encoding", ""),
                "cache": response.get("Cache-Control", ""),
                "bytes": len(b"".join(response.streaming_content)),
            }
        print(json.dumps({"home": home.status_code, "assets": assets}))
        """
    )
    env = {
        **PRODUCTION,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }

    result = run_python(["-c", script], env)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["home"] == 200
    assert report["assets"], "the home page links its stylesheet"
    total = 0
    for url, asset in report["assets"].items():
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), f"{url} has no content hash"
        assert asset["status"] == 200
        assert asset["encoding"] == "gzip"
        assert "immutable" in asset["cache"]
        total += asset["bytes"]
    assert total < PAGE_BUDGET_BYTES
    assert list((tmp_path / "static" / "css").glob("hub.*.css.br"))


def test_source_stylesheet_is_small():
    from tests.tools import ROOT

    css = (ROOT / "static" / "css" / "hub.css").read_bytes()
    assert len(gzip.compress(css)) < PAGE_BUDGET_BYTES
