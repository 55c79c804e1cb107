"""Production installs pinned, hash-checked versions that satisfy the stated ranges."""

import re

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from tests.tools import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.MULTILINE)


def pins(name):
    text = (ROOT / name).read_text()
    return {canonicalize_name(package): version for package, version in PIN.findall(text)}


def ranges(name):
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            yield Requirement(line)


def test_every_requirement_is_pinned_within_its_range_with_hashes():
    locked = pins("requirements.lock")
    text = (ROOT / "requirements.lock").read_text()

    for requirement in ranges("requirements.txt"):
        version = locked.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is not in requirements.lock"
        assert requirement.specifier.contains(version), f"{requirement.name}=={version}"
    hashed = re.findall(r"^[A-Za-z0-9_.\-]+==\S+ \\\n\s+--hash=sha256:", text, re.MULTILINE)
    assert len(hashed) == len(PIN.findall(text))


def test_the_test_tools_lock_agrees_with_production():
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")

    assert {name: development.get(name) for name in production} == production
    for requirement in ranges("requirements-dev.txt"):
        assert canonicalize_name(requirement.name) in development


def first_untried(lowest):
    """The next major version after `lowest`, or the next minor for a 0.x package."""
    return Version(f"0.{lowest.minor + 1}") if lowest.major == 0 else Version(f"{lowest.major + 1}")


def test_every_range_stops_before_a_major_version_the_suite_has_not_run_on():
    for name in ("requirements.txt", "requirements-dev.txt", "requirements-django6.txt"):
        for requirement in ranges(name):
            bounds = {spec.operator: Version(spec.version) for spec in requirement.specifier}
            assert {">=", "<"} <= bounds.keys(), f"{name}: {requirement} needs both bounds"
            assert bounds["<"] <= first_untried(bounds[">="]), f"{name}: {requirement}"


def test_the_django_6_run_differs_from_production_in_django_alone():
    """`make test-django6` installs requirements-dev.lock, then this lock over it."""
    production, django6 = pins("requirements.lock"), pins("requirements-django6.lock")
    (wanted,) = ranges("requirements-django6.txt")

    assert wanted.specifier.contains(django6.pop("django"))
    assert {name: production.get(name) for name in django6} == django6
