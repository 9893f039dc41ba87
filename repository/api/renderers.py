"""The browsable API (the API's answers as HTML, for a browser) under a policy of its own.

DRF's templates style elements inline (style attributes and a <style> block), which the UI's
Content-Security-Policy refuses. Their script is all in files: the only inline <script> is the
CSRF token as JSON, which is data and never runs. So the API's HTML answers allow inline
styles, and nothing else beyond the UI's policy: scripts still come from Larder only.
"""

from rest_framework.renderers import BrowsableAPIRenderer

INLINE_STYLES = {"style-src": ["'unsafe-inline'"]}


class StyledBrowsableAPIRenderer(BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = INLINE_STYLES  # read by django-csp's middleware
        return super().render(data, accepted_media_type, renderer_context)
