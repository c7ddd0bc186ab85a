"""The `lightbox` command line: thin commands over the services (contract/CLI.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from api import migrate as migrations
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.errors import DomainError

app = typer.Typer(help="Lightbox: a teaching-case repository for schools of radiology.", no_args_is_help=True)
user_app = typer.Typer(help="People.", no_args_is_help=True)
token_app = typer.Typer(help="Partner API tokens.", no_args_is_help=True)
curriculum_app = typer.Typer(help="The curriculum tree.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(curriculum_app, name="curriculum")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _sessions(settings: Settings) -> SessionFactory:
    engine = make_engine(settings)
    if not migrations.is_current(engine):
        _fail("the database schema is behind; run `lightbox migrate`")
    return SessionFactory(engine, events.EventBus())


@app.command()
def migrate() -> None:
    """Bring the database to the newest schema."""
    settings = Settings()
    migrations.upgrade(make_engine(settings))
    typer.echo(f"database at revision {migrations.head_revision()}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve GraphQL at /graphql, health at /healthz."""
    import uvicorn

    settings = Settings()
    if not migrations.is_current(make_engine(settings)):
        _fail("the database schema is behind; run `lightbox migrate`")
    uvicorn.run("api.app:app_from_env", host=host, port=port, workers=workers, factory=True, log_level="info")


@user_app.command("add")
def user_add(name: str, role: list[str] = typer.Option(..., "--role", help="Repeat for several roles."),
             password_stdin: bool = typer.Option(False, "--password-stdin"),
             display_name: str | None = typer.Option(None, "--display-name")) -> None:
    """Create a person."""
    from content.principal import SYSTEM
    from content.users.service import add_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with _sessions(Settings()).scope() as session:
        try:
            user = add_user(name, roles=role, password=password, display_name=display_name, session=session,
                            principal=SYSTEM)
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(f"added {user.username} ({', '.join(user.roles)})")


@token_app.command("create")
def token_create(name: str, scope: str = typer.Option(..., "--scope", help="read or write"),
                 collection: str | None = typer.Option(None, "--collection", help="Limit to this path.")) -> None:
    """Print a new API token for a partner system, once."""
    from content.principal import SYSTEM
    from content.security.api_tokens import create_api_token
    from content.users.models import User
    from content.users.service import add_user

    with _sessions(Settings()).scope() as session:
        try:
            from sqlmodel import select

            account = session.exec(select(User).where(User.username == f"partner-{name}".lower()[:64])).first()
            if account is None:
                account = add_user(f"partner-{name}".lower()[:64], roles=["partner"], password=None,
                                   display_name=name, session=session, principal=SYSTEM)
            token, _ = create_api_token(name, scope=scope, acting_user=account, collection_path=collection,
                                        session=session, principal=SYSTEM)
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(token)


@curriculum_app.command("load")
def curriculum_load(file: Path) -> None:
    """Load or update a curriculum tree (YAML, or CSV with code,title,parent)."""
    from content.curriculum.service import load_tree, read_tree_file
    from content.principal import SYSTEM

    with _sessions(Settings()).scope() as session:
        try:
            added, updated = load_tree(read_tree_file(file), session=session, principal=SYSTEM)
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(f"curriculum: {added} added, {updated} updated")


@app.command()
def schema() -> None:
    """Print the GraphQL SDL."""
    from schema.build import sdl

    sys.stdout.write(sdl())


@app.command()
def render(file: Path, out: Path = typer.Option(Path("out.png"), "-o", "--out"),
           size: int | None = typer.Option(None, "--size"), frame: int = typer.Option(1, "--frame"),
           window: str | None = typer.Option(None, "--window", help="CENTER,WIDTH"),
           preset: str | None = typer.Option(None, "--preset")) -> None:
    """Render one DICOM file as the server would."""
    from media.render import RenderOptions, render_file

    fmt = out.suffix.lower().lstrip(".").replace("jpg", "jpeg") or "png"
    try:
        win = None
        if window:
            centre, _, width = window.partition(",")
            try:
                win = (float(centre), float(width))
            except ValueError:
                _fail("--window takes CENTER,WIDTH, e.g. 40,80")
        options = RenderOptions(frame=frame, size=size, window=win, preset=preset, format=fmt)  # type: ignore[arg-type]
        out.write_bytes(render_file(file, options))
    except DomainError as exc:
        _fail(exc.message)
    typer.echo(f"wrote {out}")


@app.command()
def demo(port: int = 8000, seed_only: bool = typer.Option(False, "--seed-only")) -> None:
    """Seed a demo repository in the data dir if it is empty, then serve it."""
    from api.demo.seed import seed

    settings = Settings()
    engine = make_engine(settings)
    migrations.upgrade(engine)
    with SessionFactory(engine, events.EventBus()).scope() as session:
        for line in seed(session):
            typer.echo(line)
    if not seed_only:
        serve(port=port)


if __name__ == "__main__":
    app()
