"""The serving service and its inputs: query parsing, render plans, placeholders, URLs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from content.imaging.models import Instance, Series
from importers.series_previews import build_previews
from media import serving, urls
from media.errors import ErrorCode, RenderError, StoreError
from media.params import parse_window, render_options
from media.render import RenderOptions
from media.store import ContentStore
from tests.media.reference import PYDICOM

CT = PYDICOM / "CT_small.dcm"


def test_query_strings_become_options() -> None:
    options = render_options(size="128", frame="1", window=" -600 , 1500 ", fmt="PNG")
    assert options == RenderOptions(size=128, window=(-600.0, 1500.0), format="png")
    assert render_options(preset="Lung").preset == "lung"
    assert render_options(size="", window="") == RenderOptions()  # empty form fields count as absent
    assert parse_window("40,80") == (40.0, 80.0)


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"size": "0"}, "size"),
        ({"size": "100000"}, "size"),
        ({"size": "1e3"}, "size"),
        ({"frame": "0"}, "frame"),
        ({"frame": "one"}, "frame"),
        ({"window": "40,0"}, "window"),
        ({"window": "nan,80"}, "window"),
        ({"window": "40;80"}, "window"),
        ({"preset": "spine"}, "preset"),
        ({"fmt": "tiff"}, "format"),
    ],
)
def test_absurd_values_are_refused_with_the_field(kwargs: dict[str, str], field: str) -> None:
    with pytest.raises(RenderError) as refused:
        render_options(**kwargs)
    assert refused.value.code is ErrorCode.INVALID_INPUT and refused.value.field == field


def test_plan_refuses_a_frame_the_instance_lacks_and_keys_the_etag() -> None:
    options = RenderOptions(frame=3)
    with pytest.raises(RenderError) as refused:
        serving.plan_render(source_key="a" * 64, frames=2, longest_edge=512, options=options)
    assert refused.value.field == "frame"
    plan = serving.plan_render(source_key="a" * 64, frames=3, longest_edge=512, options=options)
    assert plan.etag == options.cache_key("a" * 64) and plan.fallback_size == 512
    other = serving.plan_render(source_key="b" * 64, frames=3, longest_edge=512, options=options)
    assert other.etag != plan.etag


def test_render_caches_and_falls_back_to_a_placeholder(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    key = store.put_file(CT)
    plan = serving.plan_render(source_key=key, frames=1, longest_edge=128, options=RenderOptions(size=64))
    first = serving.render(store, plan)
    assert first.etag == plan.etag and first.media_type == "image/webp" and first.placeholder_reason is None
    assert first.unstored and store.get_rendition(plan.etag) is None  # the route stores it after answering
    serving.store_rendition(store, plan, first)
    again = serving.render(store, plan)
    assert store.get_rendition(plan.etag) == first.body == again.body and not again.unstored
    broken = store.put(CT.read_bytes()[:-2000])  # pixels cut short
    for source in (broken, "c" * 64):  # undecodable, and missing from the store
        plan = serving.plan_render(source_key=source, frames=1, longest_edge=None, options=RenderOptions(format="png"))
        served = serving.render(store, plan)
        assert served.etag is None and served.placeholder_reason in ("UNDECODABLE", "NOT_FOUND")
        with Image.open(io.BytesIO(served.body)) as image:
            assert image.format == "PNG" and image.size == (serving.PLACEHOLDER_SIZE,) * 2


def test_previews_are_stored_and_served_by_key(tmp_path: Path, ct_series_files: list[Path]) -> None:
    store = ContentStore(tmp_path / "store")
    file_keys = [store.put_file(path) for path in ct_series_files]
    keys = build_previews(store, file_keys)
    assert keys == build_previews(store, file_keys)  # content-addressed: a rebuild is a no-op
    for key in (keys.thumbnail, keys.montage, keys.cine):
        assert key is not None
        served = serving.stored_preview(store, key)
        assert served.etag == key and served.media_type == "image/webp"
    missing = serving.stored_preview(store, "d" * 64)
    assert missing.placeholder_reason == "NOT_FOUND" and missing.etag is None
    assert serving.sniff(b"\x89PNG\r\n") == "image/png" and serving.sniff(b"\xff\xd8\xff") == "image/jpeg"
    with pytest.raises(StoreError):
        serving.original_path(store, "e" * 64)
    assert keys.thumbnail is not None
    assert serving.original_path(store, keys.thumbnail) == store.path_for(keys.thumbnail)


def test_urls_use_random_uids_and_change_with_their_bytes() -> None:
    instance = Instance(series_uid="s", sop_instance_uid="1.2", sop_class_uid="1.2", file_key="a" * 64)
    rendered = urls.rendered_url(instance)
    assert rendered.startswith(f"/media/instances/{instance.uid}/rendered/") and len(instance.uid) == 32
    assert "1.2" not in rendered  # no DICOM UID in the URL
    assert (
        urls.rendered_url(
            Instance(uid=instance.uid, series_uid="s", sop_instance_uid="1.2", sop_class_uid="1.2", file_key="b" * 64)
        )
        != rendered
    )
    assert urls.original_url(instance) == f"/media/instances/{instance.uid}/original"
    series = Series(
        study_uid="x", series_instance_uid="1.3", thumbnail_key="f" * 64, montage_key=None, cine_key="0" * 64
    )
    assert urls.thumbnail_url(series) == f"/media/series/{series.uid}/thumbnail/{'f' * 16}"
    assert urls.preview_url(series) is None
    assert urls.cine_url(series) == f"/media/series/{series.uid}/cine/{'0' * 16}"


def test_an_empty_rendition_file_reads_as_a_miss(tmp_path: Path) -> None:
    # What a crash can leave behind, since renditions are written without fsync.
    store = ContentStore(tmp_path)
    store.put_rendition("a" * 64, b"")
    assert store.get_rendition("a" * 64) is None
