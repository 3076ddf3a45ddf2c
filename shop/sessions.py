"""Django's SessionMiddleware, ignoring a session cookie that no session could have.

Django makes session keys of lowercase letters and digits. A forged cookie with anything else
names no session, and one holding NUL (a quoted cookie carries it as ``"\\000..."``, plain
ASCII on the wire) makes PostgreSQL refuse the session lookup: a 500 on every page. Such a
cookie is treated as absent, so the visitor gets a fresh session (Django then deletes or
replaces the cookie as for any unknown key).
"""

import re

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware

_SESSION_KEY = re.compile(r"[a-z0-9]+")


class SessionMiddleware(DjangoSessionMiddleware):
    def process_request(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if session_key is not None and not _SESSION_KEY.fullmatch(session_key):
            session_key = None
        request.session = self.SessionStore(session_key)
