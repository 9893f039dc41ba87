"""Secure cookies behind a TLS-terminating proxy.

With an https LARDER_PUBLIC_URL the settings mark every cookie Secure. Without one, a
request that arrived over TLS (request.is_secure(), which believes X-Forwarded-Proto only
with LARDER_TRUST_PROXY) gets its cookies marked Secure here.
"""


class SecureCookiesMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response
