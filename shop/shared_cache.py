"""Nothing private leaves this site marked, or left, cacheable by a shared cache (CDN, Varnish).

Outermost middleware but one, so it sees every response after the session and CSRF middleware
have added their cookies:

- A response marked ``public`` (catalog reads on /graphql, see ``shop.graphql.http_cache``)
  that carries a ``Set-Cookie`` becomes ``private, no-store``: a cache would hand that cookie
  (a session, a CSRF token) to everyone.
- A page that read the session and says nothing about caching becomes ``private, no-cache``:
  every storefront page shows the shopper's cart count, and a signed-in customer's pages carry
  their name and /graphql token. Without it only ``Vary: Cookie`` kept a shared cache from
  storing them, and a cache may heuristically store a 200 that names no lifetime.
"""

from django.utils.cache import patch_cache_control

from shop.graphql.http_cache import PRIVATE


class SharedCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        cache_control = response.get("Cache-Control", "")
        if "public" in cache_control and response.cookies:
            response["Cache-Control"] = PRIVATE
        elif not cache_control:
            session = getattr(request, "session", None)
            if session is not None and session.accessed:
                patch_cache_control(response, private=True, no_cache=True)
        return response
