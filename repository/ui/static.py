"""Serving the UI's stylesheet and script from the app server itself (WhiteNoise).

Files come straight from the static source folders (WHITENOISE_USE_FINDERS), so no
collectstatic step is needed; STATIC_ROOT is served too once collectstatic has filled it.
"""

import os

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    def add_files(self, root, prefix: str | None = None) -> None:
        # An absent STATIC_ROOT just means collectstatic never ran: nothing to warn about.
        if root == self.static_root and not os.path.isdir(root):
            return
        super().add_files(root, prefix)
