import pytest
from PIL import Image

from shared.browser import (
    INSTALL_HINT,
    CspViolations,
    assert_accessible,
    find_chromium,
    require_chromium,
    save_screenshots,
    serious_accessibility_violations,
)

DOT = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
ACCESSIBLE_PAGE = f"""<!doctype html><html lang="en"><head><title>Fine</title></head>
<body><main><h1>Fine</h1><img src="{DOT}" alt="dot"></main></body></html>"""
INACCESSIBLE_PAGE = ACCESSIBLE_PAGE.replace(' alt="dot"', "")


def test_chromium_path_from_the_environment_wins(tmp_path):
    binary = tmp_path / "my-chromium"
    binary.write_text("")

    assert find_chromium({"CHROMIUM_PATH": str(binary)}) == str(binary)


def test_a_chromium_path_that_does_not_exist_means_no_browser(tmp_path):
    assert find_chromium({"CHROMIUM_PATH": str(tmp_path / "missing")}) is None


def test_no_browser_skips_with_an_install_hint(tmp_path):
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        require_chromium({"CHROMIUM_PATH": str(tmp_path / "missing")})


def test_no_browser_fails_under_ci(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_chromium({"CHROMIUM_PATH": str(tmp_path / "missing"), "CI": "true"})


def test_install_hint_fits_on_one_line():
    assert "\n" not in INSTALL_HINT


@pytest.mark.browser
def test_accessible_page_has_no_serious_violations(page):
    page.set_content(ACCESSIBLE_PAGE)

    assert serious_accessibility_violations(page) == []
    assert_accessible(page)


@pytest.mark.browser
def test_image_without_alt_text_is_a_critical_violation(page):
    page.set_content(INACCESSIBLE_PAGE)

    violations = serious_accessibility_violations(page)

    assert [v["id"] for v in violations] == ["image-alt"]
    with pytest.raises(AssertionError, match="critical: image-alt"):
        assert_accessible(page)


@pytest.mark.browser
def test_screenshots_are_taken_at_desktop_and_phone_width(page, tmp_path):
    page.goto("data:text/html," + ACCESSIBLE_PAGE)

    desktop, phone = save_screenshots(page, "home", tmp_path / "shots")

    assert desktop.name == "home-desktop.png"
    assert phone.name == "home-phone.png"
    with Image.open(desktop) as desktop_image, Image.open(phone) as phone_image:
        assert desktop_image.size[0] == 1280
        assert phone_image.size[0] == 390
        assert desktop_image.mode == "P"  # optimised to a palette image


def _serve_with_policy(tab, body: str) -> None:
    """Serve ``body`` at a made-up origin with a strict policy (Playwright answers, no server)."""
    tab.route(
        "http://csp.test/",
        lambda route: route.fulfill(
            body=body,
            content_type="text/html",
            headers={"Content-Security-Policy": "script-src 'self'; style-src 'self'"},
        ),
    )
    tab.goto("http://csp.test/")


def test_an_inline_script_blocked_by_the_policy_is_a_violation(chromium):
    context = chromium.new_context()
    tab = context.new_page()
    violations = CspViolations.watch(tab)

    _serve_with_policy(tab, "<p>x</p><script>document.title = 'ran'</script>")
    context.close()

    assert any("script-src" in message for message in violations.messages)
    with pytest.raises(AssertionError, match="CSP violations"):
        violations.assert_none()


def test_a_page_within_its_policy_has_no_violation(chromium):
    context = chromium.new_context()
    tab = context.new_page()
    violations = CspViolations.watch(tab)

    _serve_with_policy(tab, "<p>plain</p>")
    context.close()

    violations.assert_none()
