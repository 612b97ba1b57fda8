"""Behind reverse proxies, the visitor's address is the one the proxies forward."""

import pytest
from flask import request

FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def seen_by_views(app):
    seen = []
    app.before_request(lambda: seen.append((request.remote_addr, request.scheme)))
    app.test_client().get("/", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    return seen


@pytest.mark.parametrize("app_config", [{"PROXY_COUNT": 1}])
def test_forwarded_address_is_the_visitors_when_one_proxy_is_trusted(app):
    assert seen_by_views(app) == [("203.0.113.9", "https")]


@pytest.mark.parametrize("app_config", [{"PROXY_COUNT": 0}])
def test_forwarded_headers_are_ignored_without_trusted_proxies(app):
    assert seen_by_views(app) == [("10.0.0.2", "http")]
