"""Content-addressed storage and the cached rendition service."""

from __future__ import annotations

import hashlib
import os
import time
from typing import Any

import pytest

import media.renditions
from media.errors import ErrorCode, RenderError, StoreError
from media.render import RenderOptions
from media.renditions import rendition
from media.store import ContentStore
from tests.media.reference import BY_NAME


def test_put_get_and_fan_out(tmp_path) -> None:
    store = ContentStore(tmp_path)
    key = store.put(b"hello")
    assert key == hashlib.sha256(b"hello").hexdigest()
    assert store.path_for(key) == tmp_path / "blobs" / key[:2] / key[2:4] / key
    assert store.has(key) and store.get(key) == b"hello"
    with store.open(key) as handle:
        assert handle.read() == b"hello"
    assert store.put(b"hello") == key  # idempotent
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")]
    assert leftovers == []


def test_put_file_streams_to_the_same_key(tmp_path) -> None:
    store = ContentStore(tmp_path / "store")
    source = BY_NAME["CT_small.dcm"].path
    key = store.put_file(source)
    assert key == hashlib.sha256(source.read_bytes()).hexdigest()
    assert store.get(key) == source.read_bytes()
    assert store.put(source.read_bytes()) == key


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "ab", "g" * 64, ""])
def test_malformed_keys_are_refused(tmp_path, bad: str) -> None:
    with pytest.raises(StoreError) as refused:
        ContentStore(tmp_path).path_for(bad)
    assert refused.value.code is ErrorCode.INVALID_INPUT


def test_missing_blob_is_not_found(tmp_path) -> None:
    store = ContentStore(tmp_path)
    assert not store.has("0" * 64)
    with pytest.raises(StoreError) as refused:
        store.get("0" * 64)
    assert refused.value.code is ErrorCode.NOT_FOUND
    assert store.get_rendition("0" * 64) is None


def test_rendition_is_rendered_once_then_served_from_cache(tmp_path, monkeypatch) -> None:
    store = ContentStore(tmp_path)
    source = store.put_file(BY_NAME["MR_small.dcm"].path)
    options = RenderOptions(size=64, format="png")
    calls: list[tuple[object, ...]] = []
    real = media.renditions.render_source

    def counting(*a: Any) -> bytes:
        calls.append(a)
        return real(*a)

    monkeypatch.setattr(media.renditions, "render_source", counting)
    first = rendition(store, source, options)
    assert rendition(store, source, options) == first
    assert len(calls) == 1
    assert store.get_rendition(options.cache_key(source)) == first
    assert rendition(store, source, RenderOptions(size=32, format="png")) != first
    assert len(calls) == 2


def test_rendition_refusals(tmp_path) -> None:
    store = ContentStore(tmp_path)
    with pytest.raises(StoreError) as missing:
        rendition(store, "1" * 64, RenderOptions())
    assert missing.value.code is ErrorCode.NOT_FOUND
    junk = store.put(b"not a dicom file" * 10)
    with pytest.raises(RenderError) as undecodable:
        rendition(store, junk, RenderOptions())
    assert undecodable.value.code is ErrorCode.UNDECODABLE


def test_staged_files_left_by_a_dead_import_are_swept_and_fresh_ones_kept(tmp_path) -> None:
    store = ContentStore(tmp_path)
    _, old = store.stage(b"left by an import that died")
    key, fresh = store.stage(b"an import running now")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    assert store.sweep_staging() == 1
    assert not os.path.exists(old) and os.path.exists(fresh)
    assert store.adopt(key, fresh) == key and store.get(key) == b"an import running now"
    assert store.sweep_staging() == 0
