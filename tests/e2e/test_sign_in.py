from urllib.parse import urlparse

from tests.e2e.conftest import log_in, screenshot


def test_ministry_staff_sign_in_and_land_on_the_overview(demo, open_page):
    page = open_page()
    page.goto("/")
    assert "/dang-nhap/" in page.url
    log_in(page, "bo")
    assert urlparse(page.url).path == "/"
    assert page.locator("header").get_by_text("Đăng xuất").is_visible()
    screenshot(page, "overview-after-sign-in")
    assert page.errors == []
