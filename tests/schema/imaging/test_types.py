"""A series' instances page like every Relay connection: edges and pageInfo."""

from __future__ import annotations

import pytest

from content.errors import DomainError
from content.imaging.models import Instance as InstanceRow
from schema.imaging.types import Series


def _series(count: int) -> Series:
    rows = [
        InstanceRow(
            uid=f"i{n}",
            series_uid="s",
            sop_instance_uid=f"1.2.{n}",
            sop_class_uid="1.2.840.10008.5.1.4.1.1.2",
            instance_number=n + 1,
            file_key=f"key{n}",
        )
        for n in range(count)
    ]
    return Series(
        id="U2VyaWVzOnM",
        description="",
        modality="CT",
        body_part=None,
        instance_count=count,
        thumbnail_url=None,
        preview_url=None,
        cine_url=None,
        rows=rows,
    )


def test_pages_of_instances_carry_relay_page_info() -> None:
    series = _series(5)
    first = series.instances(first=2)
    assert [e.node.instance_number for e in first.edges] == [1, 2]
    info = first.page_info
    assert (info.has_previous_page, info.has_next_page, info.start_cursor, info.end_cursor) == (False, True, "0", "1")
    last = series.instances(first=2, after="3")
    info = last.page_info
    assert [e.node.instance_number for e in last.edges] == [5]
    assert (info.has_previous_page, info.has_next_page, info.start_cursor, info.end_cursor) == (True, False, "4", "4")
    empty = series.instances(first=2, after="4").page_info
    assert (empty.has_next_page, empty.start_cursor, empty.end_cursor) == (False, None, None)


def test_a_bad_page_request_is_a_coded_error() -> None:
    with pytest.raises(DomainError) as refused:
        _series(1).instances(first=0)
    assert refused.value.field == "first"
