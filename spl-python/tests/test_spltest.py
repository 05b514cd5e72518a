"""spl.test: .spltest files and detection YAMLs, as `spl test` runs them."""

from pathlib import Path

import spl
from conftest import FIXTURES

HERE = Path(__file__).resolve().parent


def test_a_passing_file():
    r = spl.test(FIXTURES / "conformance" / "runner" / "data.spltest")
    assert r.ok and bool(r)
    assert r.failed == 0 and r.passed > 0
    assert r.failures == []
    assert r.summary.startswith(f"{r.passed} passed, 0 failed")


def test_a_failing_case_is_reported_with_its_location_and_diff():
    path = HERE / "data" / "failing.spltest"
    r = spl.test(str(path))
    assert (r.passed, r.failed, r.skipped) == (1, 1, 0)
    assert not r.ok
    [f] = r.failures
    assert f.location.endswith("failing.spltest:15")
    assert "4" in f.message and "3" in f.message
    assert r.summary == "1 passed, 1 failed"
    assert "FAIL" in r.details


def test_skips_directories_and_missing_paths():
    r = spl.test([FIXTURES / "conformance" / "runner"])
    assert r.failed == 0 and r.skipped >= 1 and len(r.files) > 1
    missing = spl.test("no/such/dir")
    assert missing.failed == 1
    assert "no such file" in missing.failures[0].message


def test_detection_yaml():
    d = FIXTURES / "detections" / "kubernetes_scanning_by_unauthenticated_ip_address.yml"
    r = spl.test(
        d,
        macros=FIXTURES / "macros" / "security_content",
        geoip=FIXTURES / "geoip" / "GeoLite2-City-Test.mmdb",
    )
    assert r.files == [d]
    assert r.failed == 0 and r.passed >= 1, r.details
