"""The REST API plumbing (domain.md §4), shared by every app's `api.py`.

- `keys`: API keys (hashed at rest) and their actions.
- `authentication`: `Authorization: Bearer <key>` (acts as the key's owner).
- `permissions`: the role table of domain.md §5 and key scopes.
- `problems`: one exception handler rendering every error as problem+json (RFC 9457).
- `pagination`, `filters`, `throttles`: lists, query parameters, rate limits.
- `viewsets`: `RecordViewSet`, the base of every record endpoint, with
  `transitions/`, `history/`, ETag / If-Match / If-None-Match.
- `urls`: the router. An app plugs in by defining `register(router)` in its
  `api.py` and listing the module in `urls.API_MODULES`.
"""
