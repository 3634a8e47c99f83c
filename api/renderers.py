"""The API's JSON renderer (REST_FRAMEWORK's DEFAULT_RENDERER_CLASSES).

Its own module: DRF imports it while its views load, so it may import nothing of ours.
"""

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class OrjsonRenderer(JSONRenderer):
    """JSON by orjson: lists and feed pages are large and read in bulk. The same JSON as
    DRF's renderer writes (instants in UTC with `Z`, UUIDs and dates as strings, compact);
    any other type goes through DRF's encoder (lazy translations, decimals...)."""

    _encoder = JSONEncoder()

    def render(self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None):
        if data is None:
            return b""
        return orjson.dumps(
            data, default=self._encoder.default, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
        )
