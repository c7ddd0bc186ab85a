"""The one service HTTP routes and the CLI call for a rendered instance: cached by key."""

from __future__ import annotations

from media.errors import ErrorCode, StoreError
from media.render import RenderOptions, render_file
from media.store import ContentStore


def rendition(store: ContentStore, source_key: str, options: RenderOptions) -> bytes:
    """Encoded render of blob `source_key`, from the cache or rendered once and stored.

    Raises StoreError(NOT_FOUND) for an unknown source, RenderError for bad options or
    undecodable pixels; the caller decides whether to show `placeholder()` instead.
    """
    cache_key = options.cache_key(source_key)
    cached = store.get_rendition(cache_key)
    if cached is not None:
        return cached
    if not store.has(source_key):
        raise StoreError(ErrorCode.NOT_FOUND, f"no source blob {source_key}", field="source")
    data = render_file(store.path_for(source_key), options)
    store.put_rendition(cache_key, data)
    return data
