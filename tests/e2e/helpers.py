"""What the browser tests share: the screens they emulate, axe-core and a check that
a page fits a phone's width, signing in and out.

axe-core is vendored (vendor/axe.min.js: no network here) and evaluated through the
DevTools protocol rather than added as a <script> tag, so the pages keep their
Content-Security-Policy while it runs and a violation still shows in the console."""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SERIOUS = ("serious", "critical")


def phone(browser, **options):
    """A phone's context, in Vietnamese, as a citizen's phone is."""
    return browser.new_context(
        locale="vi-VN", viewport=PHONE, has_touch=True, is_mobile=True, **options
    )


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


# Rules about a whole document, which an htmx partial opened on its own (the browser
# wraps it in an empty <html>) cannot pass and need not.
DOCUMENT_RULES = ("document-title", "html-has-lang", "landmark-one-main", "page-has-heading-one")


def axe_violations(
    page, impacts: tuple[str, ...] = SERIOUS, *, fragment: bool = False
) -> list[dict]:
    """axe-core's violations of the page as it is now, of the given impacts: each
    ``{"id", "impact", "help", "nodes": [{"target", "summary"}]}``. ``fragment``: the
    page is an htmx partial, judged without the rules about a whole document."""
    if not page.evaluate("typeof window.axe === 'object' && typeof axe.run === 'function'"):
        page.evaluate(_axe_source())
    assert page.evaluate("typeof axe.run") == "function"
    rules = {rule: {"enabled": False} for rule in DOCUMENT_RULES} if fragment else {}
    return page.evaluate(
        """async ([impacts, rules]) => (await axe.run(document, {resultTypes: ['violations'], rules}))
            .violations.filter(v => impacts.includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                                  summary: n.failureSummary || ''}))}))""",
        [list(impacts), rules],
    )


def serious_violations(page) -> list[str]:
    """``"rule: node, node"`` for each serious or critical violation: [] when clean."""
    return [
        f"{v['id']}: " + ", ".join(n["target"] for n in v["nodes"]) for v in axe_violations(page)
    ]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page: Page, base: str, username: str) -> None:
    """Sign in through the login page as ``username`` (a persona's password)."""
    page.goto(f"{base}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("link", name="Đăng nhập cán bộ")).to_be_visible()
