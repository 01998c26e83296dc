from tests.browser_support import assert_accessible, browser, live_server, page  # noqa: F401
