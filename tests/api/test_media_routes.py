"""/media routes over a real app, on SQLite and PostgreSQL: who sees which pixels, and HTTP caching.

Rows come from tests.media.imaging_rows (direct inserts until the importer lands); cases come
from the public services and the real workflow (submit by the author, validate by a validator).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pydicom
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlmodel import Session, select

from api.app import create_app
from api.db import SessionFactory
from api.deps import SESSION_COOKIE
from api.media_routes import GRANT_TTL_SECONDS, IMMUTABLE, media_router
from api.settings import Settings
from content.cases.service import create_case
from content.cases.transitions import transition
from content.imaging.models import Instance, Series
from content.principal import Principal
from content.users.models import User
from importers.synth import synth_ct_series, write_series
from media import urls
from media.store import ContentStore
from tests.content import factories as f
from tests.media.imaging_rows import add_series
from tests.media.reference import DATA, PYDICOM

CT = PYDICOM / "CT_small.dcm"
MR = PYDICOM / "MR_small.dcm"
MULTIFRAME = DATA / "emri_small.dcm"  # 10 frames


@dataclass
class World:
    client: TestClient
    token: dict[str, str]  # author (trainer, owner), trainer, checker (validator), trainee
    validated: list[Instance]  # CT, MR, 10-frame MR, undecodable copy
    validated_series: Series
    quarantined: Instance  # first of its own two-image series in the validated case
    quarantined_series: Series
    draft: Instance
    draft_series: Series
    synth_series: Series  # previews of a synthesised CT, in the validated case
    bare_series: Series  # no previews built


def get(world: World, url: str, who: str | None = "trainee", **headers: str) -> httpx.Response:
    if who is not None:
        headers["Authorization"] = f"Bearer {world.token[who]}"
    return world.client.get(url, headers=headers)


def truncated_copy(source: Path, folder: Path) -> Path:
    """The file with its Pixel Data cut short: a header that parses, pixels that cannot decode."""
    ds = pydicom.dcmread(source)
    ds.PixelData = ds.PixelData[:100]
    path = folder / "truncated.dcm"
    ds.save_as(path)
    return path


def _cases(session: Session, people: dict[str, Principal]) -> tuple[str, str]:
    coll = f.collection(session)
    author = people["author"]
    draft = create_case(collection_uid=coll, fields={"title": "Draft head CT"}, session=session, principal=author)
    case = create_case(collection_uid=coll, fields={"title": "Validated chest"}, session=session, principal=author)
    transition(case.uid, "SUBMIT", session=session, principal=author)
    transition(case.uid, "VALIDATE", session=session, principal=people["checker"])
    return draft.uid, case.uid


@pytest.fixture
def world(app_settings: Settings, sessions: SessionFactory, tmp_path: Path) -> Iterator[World]:
    store = ContentStore(app_settings.media_dir)
    secret = app_settings.secret()
    with sessions.scope() as session:
        people: dict[str, Principal] = {}
        token: dict[str, str] = {}
        for name, role in (
            ("author", "trainer"),
            ("trainer", "trainer"),
            ("checker", "validator"),
            ("trainee", "trainee"),
        ):
            user, people[name] = f.person(session, name, role)
            token[name] = f.bearer(session, user, secret=secret)
        draft_uid, case_uid = _cases(session, people)
        files = [CT, MR, MULTIFRAME, truncated_copy(CT, tmp_path)]
        validated_series, validated = add_series(session, store, case_uid=case_uid, files=files)
        quarantined_series, (quarantined, _) = add_series(
            session, store, case_uid=case_uid, files=[MR, CT], quarantined=[0]
        )
        draft_series, (draft,) = add_series(session, store, case_uid=draft_uid, files=[CT])
        synth = write_series(synth_ct_series(24, 64), tmp_path / "synth")
        synth_series, _ = add_series(session, store, case_uid=case_uid, files=synth)
        bare_series, _ = add_series(session, store, case_uid=case_uid, files=[CT], previews=False)
    app = create_app(app_settings)
    app.include_router(media_router)
    with TestClient(app) as client:
        yield World(
            client,
            token,
            validated,
            validated_series,
            quarantined,
            quarantined_series,
            draft,
            draft_series,
            synth_series,
            bare_series,
        )


def _code(response: httpx.Response) -> str:
    return str(response.json()["error"]["code"])


def test_permission_matrix(world: World) -> None:
    ct = urls.rendered_url(world.validated[0])
    anonymous = get(world, ct, who=None)
    assert anonymous.status_code == 401 and _code(anonymous) == "UNAUTHENTICATED"
    assert anonymous.headers["www-authenticate"] == "Bearer"
    bad = world.client.get(ct, headers={"Authorization": "Bearer lbs1.junk.sig"})
    assert bad.status_code == 401
    seen = get(world, ct)
    assert seen.status_code == 200 and seen.headers["content-type"] == "image/webp"
    # The UI's cookie works for <img> GETs.
    world.client.cookies.set(SESSION_COOKIE, world.token["trainee"])
    assert world.client.get(ct).status_code == 200
    world.client.cookies.clear()

    hidden = {
        "draft instance": urls.rendered_url(world.draft),
        "quarantined instance": urls.rendered_url(world.quarantined),
        "draft thumbnail": urls.thumbnail_url(world.draft_series),
        "quarantined series preview": urls.preview_url(world.quarantined_series),
        "unknown uid": "/media/instances/" + "0" * 32 + "/rendered",
    }
    for label, url in hidden.items():
        assert url is not None
        refused = get(world, url)
        assert refused.status_code == 404, label
        assert _code(refused) == "NOT_FOUND" and not refused.headers["content-type"].startswith("image/")
        for editor in ("author", "trainer"):
            expected = 404 if label == "unknown uid" else 200
            assert get(world, url, who=editor).status_code == expected, (label, editor)
        assert get(world, url, who=None).status_code == 401

    # Originals: editors only; a trainee who sees the case is told FORBIDDEN, not shown bytes.
    original = urls.original_url(world.validated[0])
    assert get(world, original).status_code == 403
    assert get(world, original, who="checker").status_code == 200  # validators edit validated cases
    assert get(world, urls.original_url(world.draft), who="checker").status_code == 404


def test_etag_304_head_and_stable_bytes(world: World) -> None:
    url = urls.rendered_url(world.validated[0]) + "?size=128&preset=lung"
    first, second = get(world, url), get(world, url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == IMMUTABLE == "private, max-age=31536000, immutable"
    with Image.open(io.BytesIO(first.content)) as image:
        assert max(image.size) == 128 and image.format == "WEBP"

    not_modified = get(world, url, **{"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    assert get(world, url, **{"If-None-Match": '"other"'}).status_code == 200

    head = world.client.head(url, headers={"Authorization": f"Bearer {world.token['trainee']}"})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    assert int(head.headers["content-length"]) == len(first.content)

    # Every option changes the ETag; the same window by numbers or by name is one rendition.
    variants = [
        "?size=128&window=-600,1500",
        "?size=128&preset=bone",
        "?size=64&preset=lung",
        "?size=128&preset=lung&format=png",
        "?size=128&preset=lung&format=jpeg",
    ]
    tags = {get(world, urls.rendered_url(world.validated[0]) + q).headers["etag"] for q in variants}
    assert etag not in tags and len(tags) == len(variants)
    png = get(world, urls.rendered_url(world.validated[0]) + "?format=png")
    assert png.headers["content-type"] == "image/png" and png.content.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "query, field",
    [
        ("size=0", "size"),
        ("size=100000", "size"),
        ("size=abc", "size"),
        ("size=15", "size"),
        ("frame=0", "frame"),
        ("frame=2", "frame"),
        ("frame=x", "frame"),
        ("window=40,0", "window"),
        ("window=40", "window"),
        ("window=a,b", "window"),
        ("window=40,-5", "window"),
        ("preset=nope", "preset"),
        ("format=gif", "format"),
        ("window=40,80&preset=brain", "window"),
    ],
)
def test_absurd_requests_are_refused_with_a_reason(world: World, query: str, field: str) -> None:
    response = get(world, f"{urls.rendered_url(world.validated[0])}?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "INVALID_INPUT" and error["field"] == field and error["message"]


def test_frames_of_a_multiframe_instance(world: World) -> None:
    base = urls.rendered_url(world.validated[2]) + "?format=png"
    first, last = get(world, base + "&frame=1"), get(world, base + "&frame=10")
    assert first.status_code == last.status_code == 200
    assert first.content != last.content
    assert get(world, base + "&frame=11").status_code == 400


def test_undecodable_pixels_get_a_placeholder_not_a_500(world: World) -> None:
    response = get(world, urls.rendered_url(world.validated[3]) + "?size=200")
    assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
    assert response.headers["x-lightbox-placeholder"] == "UNDECODABLE"
    assert "etag" not in response.headers and "no-cache" in response.headers["cache-control"]
    with Image.open(io.BytesIO(response.content)) as image:
        assert image.size == (200, 200)
    # The series montage still draws: the broken slice is a grey tile among real ones.
    assert get(world, urls.preview_url(world.validated_series) or "").status_code == 200


def test_original_with_ranges(world: World) -> None:
    url = urls.original_url(world.validated[0])
    data = CT.read_bytes()
    whole = get(world, url, who="author")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "application/dicom"
    assert whole.headers["accept-ranges"] == "bytes" and whole.headers["etag"].startswith('"')
    part = get(world, url, who="author", Range="bytes=128-131")
    assert part.status_code == 206 and part.content == b"DICM"
    assert part.headers["content-range"] == f"bytes 128-131/{len(data)}"
    assert get(world, url, who="author", Range=f"bytes={len(data) + 10}-").status_code == 416
    etag = whole.headers["etag"]
    assert get(world, url, who="author", **{"If-None-Match": etag}).status_code == 304
    head = world.client.head(url, headers={"Authorization": f"Bearer {world.token['author']}"})
    assert head.status_code == 200 and head.content == b"" and int(head.headers["content-length"]) == len(data)


def test_series_previews(world: World) -> None:
    series = world.synth_series
    thumb, sheet, cine = urls.thumbnail_url(series), urls.preview_url(series), urls.cine_url(series)
    assert thumb and sheet and cine
    for url in (thumb, sheet, cine):
        response = get(world, url)
        assert response.status_code == 200 and response.headers["content-type"] == "image/webp"
        assert response.headers["cache-control"] == IMMUTABLE
        revalidated = get(world, url, **{"If-None-Match": response.headers["etag"]})
        assert revalidated.status_code == 304
    with Image.open(io.BytesIO(get(world, thumb).content)) as image:
        assert max(image.size) == 256 and not getattr(image, "is_animated", False)
    with Image.open(io.BytesIO(get(world, sheet).content)) as image:
        assert image.size == (4 * 128, 4 * 128)  # 16 tiles of 128 px
    with Image.open(io.BytesIO(get(world, cine).content)) as image:
        # Identical neighbouring slices of the phantom merge into one longer WebP frame.
        assert image.format == "WEBP" and getattr(image, "n_frames", 1) > 1
    # The same URL without its version tag serves the same bytes.
    untagged = thumb.rsplit("/", 1)[0]
    assert get(world, untagged).content == get(world, thumb).content
    # No preview built: no URL, and the route says so instead of erroring.
    assert urls.thumbnail_url(world.bare_series) is None and urls.cine_url(world.bare_series) is None
    missing = get(world, f"/media/series/{world.bare_series.uid}/thumbnail")
    assert missing.status_code == 404 and _code(missing) == "NOT_FOUND"
    assert get(world, f"/media/series/{series.uid}/poster").status_code == 404


def test_a_revoked_grant_lasts_at_most_the_cache_ttl(
    world: World, sessions: SessionFactory, app_settings: Settings
) -> None:
    url = urls.rendered_url(world.validated[1])
    assert get(world, url).status_code == 200
    with sessions.scope() as session:  # someone spots burned-in text after validation
        row = session.get(Instance, world.validated[1].uid)
        assert row is not None
        row.quarantined = True
        session.add(row)
        session.commit()
        trainee = session.exec(select(User).where(User.username == "trainee")).one()
        fresh_token = f.bearer(session, trainee, secret=app_settings.secret())
    # Decisions are remembered per token and only when allowed: another token asks afresh.
    assert world.client.get(url, headers={"Authorization": f"Bearer {fresh_token}"}).status_code == 404
    grants = world.client.app.state.media_grants  # type: ignore[attr-defined]
    assert GRANT_TTL_SECONDS <= 60 and len(grants) > 0
    grants.clear()  # what GRANT_TTL_SECONDS does on its own
    assert get(world, url).status_code == 404


def test_signing_out_ends_the_cookie_and_remembered_grants_at_once(world: World) -> None:
    """DELETE /ui/session ends the session itself: a kept copy of the cookie or the token fetches nothing,
    even though the image was just allowed (and that decision remembered)."""
    ct = urls.rendered_url(world.validated[0])
    world.client.cookies.set(SESSION_COOKIE, world.token["trainee"])
    assert world.client.get(ct).status_code == 200
    assert world.client.delete("/ui/session").status_code == 204
    world.client.cookies.set(SESSION_COOKIE, world.token["trainee"])  # a copy someone kept
    assert world.client.get(ct).status_code == 401
    world.client.cookies.clear()
    assert get(world, ct).status_code == 401
    me = world.client.post(
        "/graphql", json={"query": "{ me { id } }"}, headers={"Authorization": f"Bearer {world.token['trainee']}"}
    )
    assert me.status_code == 401 and me.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_deactivation_ends_media_access_at_once(world: World) -> None:
    from content.principal import SYSTEM
    from content.users.admin import update_user
    from content.users.models import UserUpdate

    ct = urls.rendered_url(world.validated[0])
    assert get(world, ct, who="trainer").status_code == 200
    runtime = world.client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions.scope() as session:  # in this process: its cache hears of it at once
        trainer = session.exec(select(User).where(User.username == "trainer")).one()
        update_user(trainer.uid, UserUpdate(active=False), session=session, principal=SYSTEM)
    assert get(world, ct, who="trainer").status_code == 401
    assert get(world, ct).status_code == 200  # others' sessions are untouched
