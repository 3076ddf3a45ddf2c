"""GraphiQL works with no internet: every file it needs comes from this site (static_debug/graphiql/),
and running a query sends nothing off the machine."""

from urllib.parse import quote, urlsplit

import pytest

from tests.browser_fixtures import wait_until

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def test_graphiql_renders_and_runs_a_query_with_no_request_leaving_the_machine(
    chromium, live_server, settings
):
    settings.DEBUG = True  # GraphiQL is decided per request; pytest-django runs with DEBUG off
    context = chromium.new_context()
    local, outside, console = [], [], []

    def only_this_machine(route):
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            local.append((route.request.method, urlsplit(url).path))
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_this_machine)
    page = context.new_page()
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    try:
        # graphene-django's GraphiQL reads the query from the URL fragment.
        page.goto(live_server.url + "/graphql#query=" + quote("{ __typename }"))
        page.wait_for_selector(".graphiql-container", timeout=20_000)
        page.click(".graphiql-execute-button")
        wait_until(
            page,
            "document.querySelector('.graphiql-response') &&"
            " document.querySelector('.graphiql-response').innerText.includes('\"Query\"')",
            timeout=20,
        )
    except Exception:
        print("Browser console:\n" + "\n".join(console))
        raise
    finally:
        context.close()

    assert outside == []
    assert ("GET", "/static/graphiql/graphiql-2.4.7/graphiql.min.js") in local
    assert ("POST", "/graphql") in local  # the query GraphiQL ran
