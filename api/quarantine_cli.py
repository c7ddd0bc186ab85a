"""`lightbox quarantine list | release | redact | reject`: the review queue from the command line.

Thin like every command: parse, call importers.quarantine (which calls content's checks), print.
The operator acts as the system unless --as-user names a person, whose permissions then apply
(Edit on the case). Instances are named by the id GraphQL gives (QuarantinedImage.id) or by
the uid inside it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlmodel import Session

from api.imports import _principal
from api.runtime import Runtime, SchemaBehind
from api.settings import Settings
from content.errors import DomainError, ErrorCode
from content.imaging.quarantine import Action, Region
from content.principal import Principal
from importers.quarantine import held, review
from media.store import ContentStore
from schema.core.ids import from_global_id, to_global_id

quarantine_app = typer.Typer(
    help="Images held for possible burned-in text: list and review them.", no_args_is_help=True
)
AS_USER = typer.Option(None, "--as-user", help="Act as this person (their permissions apply).")
COMMENT = typer.Option("", "--comment", help="A note for the audit trail.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


@contextmanager
def _session(as_user: str | None) -> Iterator[tuple[Session, Principal, ContentStore]]:
    try:
        runtime = Runtime.open(Settings())
    except SchemaBehind as exc:
        _fail(str(exc))
        raise
    try:
        with runtime.sessions.scope() as session:
            yield session, _principal(session, as_user), ContentStore(runtime.settings.media_dir)
    except DomainError as exc:
        _fail(f"{exc.field + ': ' if exc.field else ''}{exc.message} ({exc.code.value})")
    finally:
        if not runtime.indexer.wait_idle(60.0):
            typer.echo("warning: the catalog is still catching up; run `lightbox check --repair`", err=True)
        runtime.close()


def _uid(instance: str) -> str:
    """A global id (from GraphQL or `list`) or a bare 32-hex uid."""
    if len(instance) == 32 and all(c in "0123456789abcdef" for c in instance):
        return instance
    return from_global_id(instance, "Instance", field="instance")[1]


def _region(text: str) -> Region:
    try:
        x, y, width, height = (int(part) for part in text.split(","))
    except ValueError:
        _fail(f"region: X,Y,WIDTH,HEIGHT in pixels, not {text!r} ({ErrorCode.INVALID_INPUT.value})")
        raise
    return Region(x, y, width, height)


def _box(r: dict[str, int]) -> str:
    return f"{r['x']},{r['y']},{r['width']},{r['height']}"


@quarantine_app.command("list")
def list_held(as_user: str | None = AS_USER) -> None:
    """One line per held image: id, size, frames, case, why, and the regions OCR proposes."""
    with _session(as_user) as (session, principal, _):
        images = held(session=session, principal=principal)
        for image in images:
            row = image.instance
            proposed = " ".join(_box(r) for r in row.proposed_regions or []) or "-"
            typer.echo(
                f"{to_global_id('Instance', row.uid)}\t{row.columns}x{row.rows}\tframes={row.frames}\t"
                f"{image.case.title}\t{row.quarantine_reason or ''}\tproposed={proposed}"
            )
        typer.echo(f"{len(images)} image{'' if len(images) == 1 else 's'} held", err=True)


def _review(instance: str, action: Action, regions: tuple[Region, ...], comment: str, as_user: str | None) -> None:
    with _session(as_user) as (session, principal, store):
        row = review(
            _uid(instance), action, regions, comment=comment, session=session, principal=principal, store=store
        )
        if row is None:
            typer.echo(f"rejected {instance}: the image and its file are gone")
        elif action is Action.REDACT:
            typer.echo(
                f"redacted {instance}: {len(regions)} region(s) blanked in {row.frames} frame(s); "
                f"new SOP Instance UID {row.sop_instance_uid}"
            )
        else:
            typer.echo(f"released {instance}")


@quarantine_app.command("release")
def release(instance: str, comment: str = COMMENT, as_user: str | None = AS_USER) -> None:
    """Show the image as it is: you checked it and it carries nothing identifying."""
    _review(instance, Action.RELEASE, (), comment, as_user)


@quarantine_app.command("redact")
def redact(
    instance: str,
    region: list[str] = typer.Option([], "--region", help="X,Y,WIDTH,HEIGHT in stored pixels; repeat."),
    proposed: bool = typer.Option(False, "--proposed", help="Also blank every region OCR proposed."),
    comment: str = COMMENT,
    as_user: str | None = AS_USER,
) -> None:
    """Blank rectangles in every frame into a new de-identified instance; the original is deleted."""
    regions = [_region(r) for r in region] if region else []
    if proposed:
        with _session(as_user) as (session, principal, _):
            uid = _uid(instance)
            found = next((i for i in held(session=session, principal=principal) if i.instance.uid == uid), None)
            regions += [Region(**r) for r in (found.instance.proposed_regions if found else [])]
    _review(instance, Action.REDACT, tuple(regions), comment, as_user)


@quarantine_app.command("reject")
def reject(instance: str, comment: str = COMMENT, as_user: str | None = AS_USER) -> None:
    """Remove the image from its case (and its series, if it was the last)."""
    _review(instance, Action.REJECT, (), comment, as_user)
