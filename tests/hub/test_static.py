"""Static files in production: hashed, compressed names served by whitenoise."""

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
        from tests.conftest import Client
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("load_demo", "--no-pictures", verbosity=0)
        from django.http import HttpResponse
        from accounts import gate
        declared = HttpResponse()
        declared.set_signed_cookie(gate.COOKIE_NAME, "1", salt=gate.COOKIE_SALT)
        client = Client(HTTP_HOST="hub.example.org", HTTP_X_FORWARDED_PROTO="https")
        client.cookies[gate.COOKIE_NAME] = declared.cookies[gate.COOKIE_NAME].value
        home = client.get("/")
        article = client.get("/articles/rationale-targeted-therapies-early-relapsed-myeloma/")
        assert article.status_code == 200, article.status_code
        pages = home.content.decode() + article.content.decode()
        assets = {}
        for url in set(re.findall(r'(?:href|src)="(/static/[^"]+)"', pages)):
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
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }

    result = run_python(["-c", script], env)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["home"] == 200
    assert len(report["assets"]) >= 4, "stylesheet, print stylesheet, script and icon"
    total = 0
    for url, asset in report["assets"].items():
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg|woff2)$", url), f"{url} has no hash"
        assert asset["status"] == 200
        if not url.endswith(".woff2"):  # a font is compressed already
            assert asset["encoding"] == "gzip"
        assert "immutable" in asset["cache"]
        total += asset["bytes"]
    assert total < PAGE_BUDGET_BYTES
    assert list((tmp_path / "static" / "css").glob("hub.*.css.br"))
