"""Lighthouse on the home page and an article, as a reader who has passed the HCP gate.

Desktop must score 100 in performance, accessibility, best practices and SEO; the
throttled mobile profile at least 95, with the largest contentful paint under 2.5 s.
One Lighthouse run per page and profile, with simulated throttling (its default). Its
performance estimate moves with the load on this machine: `make test` runs this module
alone, after the rest of the suite, and a performance miss is run once more;
accessibility, best practices and SEO never are.
"""

import json
import os
import shutil
import subprocess

import pytest

from articles.models import Article
from demo.loader import load_demo
from tests.browser.conftest import CHROMIUM_ARGS
from tests.conftest import hcp_cookie_value
from tests.tools import CHROMIUM, ROOT, require_tool

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.lighthouse]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LEAST_SCORE = {"desktop": 100, "mobile": 95}
MOBILE_LCP_MS = 2500
# The demo's richest article: an interview with video, transcript and references.
ARTICLE = "rationale-targeted-therapies-early-relapsed-myeloma"
REPORTS = ROOT / "test-results" / "lighthouse"


def run_lighthouse(name, url, preset, headers):
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
        f"--extra-headers={json.dumps(headers)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    for _attempt in range(3):
        result = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": str(CHROMIUM)},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        # Lighthouse's own trace recording sometimes fails ("NO_NAVSTART", "Please run
        # Lighthouse again"): that is no verdict on the page, so it runs again.
        if result.returncode == 0 or "run Lighthouse again" not in result.stderr:
            break
    assert result.returncode == 0, f"Lighthouse failed on {url} ({preset}): {result.stderr}"
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / f"{name}-{preset}.json").write_text(result.stdout, encoding="utf-8")
    return json.loads(result.stdout)


def scores(report):
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def largest_contentful_paint(report):
    return report["audits"]["largest-contentful-paint"]["numericValue"]


def failing_audits(report, category):
    """The weighed audits of a category that did not pass, with what Lighthouse saw."""
    found = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue") or ""
            found.append(f"{category}/{ref['id']} ({audit['score']}): {audit['title']} {shown}")
    return found


def problems(report, preset):
    found = [
        f"{name} {score} < {LEAST_SCORE[preset]}"
        for name, score in scores(report).items()
        if score < LEAST_SCORE[preset]
    ]
    if preset == "mobile" and largest_contentful_paint(report) >= MOBILE_LCP_MS:
        found.append(f"largest contentful paint {largest_contentful_paint(report):.0f} ms")
    return found


def audit(name, url, preset, headers):
    """Scores and what fell short, retrying the run once when only performance missed."""
    report = run_lighthouse(name, url, preset, headers)
    found = problems(report, preset)
    speed_only = all(p.startswith(("performance", "largest")) for p in found)
    runs = 1
    if found and speed_only:
        report = run_lighthouse(name, url, preset, headers)
        found = problems(report, preset)
        runs = 2
    details = [d for name in CATEGORIES for d in failing_audits(report, name)]
    lcp = largest_contentful_paint(report)
    summary = f"{name} ({preset}, run {runs}): {scores(report)}, LCP {lcp:.0f} ms"
    return summary, found, details


@pytest.fixture
def pages(live_server):
    require_tool(
        LIGHTHOUSE.exists() and shutil.which("node") and CHROMIUM.exists(),
        "Lighthouse (npm), Node.js and Debian's chromium",
    )
    load_demo()  # live_server flushes data migrations' rows: load what the test reads
    article = Article.objects.get(slug=ARTICLE)
    return {
        "home": live_server.url + "/",
        "article": live_server.url + article.get_absolute_url(),
    }


def test_home_and_article_score_full_marks(pages):
    headers = {"Cookie": f"hub_hcp={hcp_cookie_value()}"}
    summaries, failures = [], []
    for name, url in pages.items():
        for preset in LEAST_SCORE:
            summary, found, details = audit(name, url, preset, headers)
            summaries.append(summary)
            if found:
                failures.append(f"{summary}: {', '.join(found)}\n  " + "\n  ".join(details))
    print("\n".join(summaries))
    assert not failures, "\n".join(failures)
