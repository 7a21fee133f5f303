"""Shared fixtures: people by role, the browser (Debian's Chromium through Playwright)."""

import os
import shutil

import pytest

from tests.factories import make_user  # noqa: F401  (re-exported for tests)

CHROMIUM = os.environ.get("YIWANG_CHROMIUM", "/usr/bin/chromium")


def pytest_configure(config):
    # PBKDF2 costs ~0.3 s a password by design; tests create hundreds of users.
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests assert English messages unless they ask for Chinese (Accept-Language / translation.override);
    # the product's default language stays zh-hans.
    settings.LANGUAGE_CODE = "en"
    # the demo's year of case history (300,000 cases) shrinks to a sample in tests
    settings.DEMO_HISTORY_CASES = 400
    # SQLite: a test database file (WAL, busy timeout) rather than shared-cache memory, so that tests
    # with several threads see the same locking as production instead of "database table is locked".
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and not db.get("TEST", {}).get("NAME"):
        import tempfile

        db.setdefault("TEST", {})["NAME"] = os.path.join(tempfile.gettempdir(), f"yiwang-test-{os.getpid()}.sqlite3")


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = CHROMIUM if shutil.which(CHROMIUM) else f"absent ({CHROMIUM}): browser tests skip"
    return [f"yiwang: database={engine}, chromium={browser}"]


@pytest.fixture(scope="session")
def browser_instance():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance):
    context = browser_instance.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser_instance):
    context = browser_instance.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture(autouse=True)
def _browser_tests_allow_sync_db(request):
    # Playwright runs an event loop in this thread; Django's ORM refuses calls from "async" contexts.
    if request.node.get_closest_marker("browser"):
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield


@pytest.fixture(autouse=True)
def _postgres_only(request):
    # @pytest.mark.postgres_only: meaningful only on PostgreSQL (row locks, concurrent writers)
    if request.node.get_closest_marker("postgres_only"):
        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            pytest.skip(f"needs PostgreSQL (DATABASE_URL=postgres://…); this run uses {engine.rsplit('.', 1)[-1]}")
    yield
