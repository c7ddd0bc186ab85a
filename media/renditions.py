"""The one service HTTP routes and the CLI call for a rendered instance: cached by key."""

from __future__ import annotations

from media.errors import ErrorCode, StoreError
from media.render import RenderOptions, render_source
from media.store import ContentStore


def cached_or_rendered(store: ContentStore, source_key: str, options: RenderOptions) -> tuple[bytes, bool]:
    """(encoded render, True if it was rendered now and is not yet stored).

    Lets the HTTP route answer first and store the new rendition after the response.
    Raises as `rendition` does.
    """
    cached = store.get_rendition(options.cache_key(source_key))
    if cached is not None:
        return cached, False
    if not store.has(source_key):
        raise StoreError(ErrorCode.NOT_FOUND, f"no source blob {source_key}", field="source")
    return render_source(store.path_for(source_key), source_key, options), True


def rendition(store: ContentStore, source_key: str, options: RenderOptions) -> bytes:
    """Encoded render of blob `source_key`, from the cache or rendered once and stored.

    Raises StoreError(NOT_FOUND) for an unknown source, RenderError for bad options or
    undecodable pixels; the caller decides whether to show `placeholder()` instead.
    """
    data, fresh = cached_or_rendered(store, source_key, options)
    if fresh:
        store.put_rendition(options.cache_key(source_key), data)
    return data
