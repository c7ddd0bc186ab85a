"""The `lightbox` command line: thin commands over the services (contract/CLI.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from api import migrate as migrations
from api.backup_cli import export as export_command
from api.backup_cli import restore as restore_command
from api.db import SessionFactory, make_engine
from api.import_cases import HELP as IMPORT_CASES_HELP
from api.import_cases import import_cases
from api.imports import import_app, receive
from api.quarantine_cli import quarantine_app
from api.runtime import Runtime, SchemaBehind, SettingsRefused
from api.settings import Settings
from content.errors import DomainError

app = typer.Typer(help="Lightbox: a teaching-case repository for schools of radiology.", no_args_is_help=True)
user_app = typer.Typer(help="People.", no_args_is_help=True)
token_app = typer.Typer(help="Partner API tokens.", no_args_is_help=True)
curriculum_app = typer.Typer(help="The curriculum tree.", no_args_is_help=True)
partner_app = typer.Typer(help="Partner schools.", no_args_is_help=True)
lti_app = typer.Typer(help="LTI 1.3: VLE platforms that launch Lightbox, and the tool's keys.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(curriculum_app, name="curriculum")
app.add_typer(partner_app, name="partner")
app.add_typer(lti_app, name="lti")
app.add_typer(import_app, name="import")
app.add_typer(quarantine_app, name="quarantine")
import_app.command("cases", help=IMPORT_CASES_HELP)(import_cases)
app.command("receive")(receive)
app.command("export")(export_command)
app.command("restore")(restore_command)


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(1)


def _runtime(settings: Settings | None = None) -> Runtime:
    """The process's engine, sessions and catalog: every write a command makes reaches the catalog."""
    try:
        return Runtime.open(settings or Settings())
    except (SchemaBehind, SettingsRefused) as exc:
        _fail(str(exc))
        raise


def _sessions(settings: Settings) -> SessionFactory:
    return _runtime(settings).sessions


class _Progress:
    """A rich progress bar on a terminal, plain lines otherwise (contract/CLI.md)."""

    def __init__(self, label: str, total: int | None) -> None:
        self.label, self.total, self.last = label, total, -1
        self.bar = None
        if sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=False)
            self.task = self.bar.add_task(label, total=total)
            self.bar.start()

    def __call__(self, done: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done)
        elif done != self.last:
            typer.echo(f"{self.label}: {done}" + (f"/{self.total}" if self.total else ""), err=True)
        self.last = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@app.command()
def migrate() -> None:
    """Bring the database to the newest schema."""
    settings = Settings()
    migrations.upgrade(make_engine(settings))
    typer.echo(f"database at revision {migrations.head_revision()}")


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> None:
    """Serve GraphQL at /graphql, health at /healthz."""
    import os
    import shutil

    import uvicorn

    from api.observability import configure_logging

    settings = Settings()
    if not migrations.is_current(make_engine(settings)):
        _fail("the database schema is behind; run `lightbox migrate`")
    if workers > 1:
        # Each worker writes its metrics here and /metrics sums them (prometheus_client multiprocess mode).
        metrics_dir = settings.data_dir / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    if settings.log_json:
        configure_logging()
    # proxy_headers off: uvicorn would otherwise believe X-Forwarded-For from any local peer; the app
    # trusts it only from LIGHTBOX_TRUSTED_PROXIES.
    uvicorn.run(
        "api.app:app_from_env",
        host=host,
        port=port,
        workers=workers,
        factory=True,
        log_level="info",
        proxy_headers=False,
        log_config=None if settings.log_json else uvicorn.config.LOGGING_CONFIG,
    )


@user_app.command("add")
def user_add(
    name: str,
    role: list[str] = typer.Option(..., "--role", help="Repeat for several roles."),
    password_stdin: bool = typer.Option(False, "--password-stdin"),
    display_name: str | None = typer.Option(None, "--display-name"),
) -> None:
    """Create a person."""
    from content.principal import SYSTEM
    from content.security.password_policy import PasswordPolicy
    from content.users.service import add_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    settings = Settings()
    with _sessions(settings).scope() as session:
        try:
            user = add_user(
                name,
                roles=role,
                password=password,
                display_name=display_name,
                session=session,
                principal=SYSTEM,
                policy=PasswordPolicy(min_length=settings.password_min_length),
            )
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(f"added {user.username} ({', '.join(user.roles)})")


@token_app.command("create")
def token_create(
    name: str,
    scope: str | None = typer.Option(None, "--scope", help="read or write"),
    collection: str | None = typer.Option(None, "--collection", help="Limit to this path."),
    partner: str | None = typer.Option(None, "--partner", help="A token of this partner: reads its collections."),
) -> None:
    """Print a new API token for a partner system, once."""
    from content.principal import SYSTEM
    from content.security.api_tokens import create_api_token
    from content.users.models import User
    from content.users.service import add_user

    if partner is not None:
        if collection is not None or scope not in (None, "read"):
            _fail("a partner's token is read-only and reads the partner's collections: drop --scope/--collection")
        _partner_token(name, partner)
        return
    if scope is None:
        _fail("--scope read|write is required (or --partner NAME)")
        return
    with _sessions(Settings()).scope() as session:
        try:
            from sqlmodel import select

            account = session.exec(select(User).where(User.username == f"partner-{name}".lower()[:64])).first()
            if account is None:
                account = add_user(
                    f"partner-{name}".lower()[:64],
                    roles=["partner"],
                    password=None,
                    display_name=name,
                    session=session,
                    principal=SYSTEM,
                )
            token, _ = create_api_token(
                name, scope=scope, acting_user=account, collection_path=collection, session=session, principal=SYSTEM
            )
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(token)


def _partner_token(name: str, partner_name: str) -> None:
    from content.partners.service import create_partner_token, partner_by_name
    from content.principal import SYSTEM

    with _sessions(Settings()).scope() as session:
        try:
            partner = partner_by_name(partner_name, session=session, principal=SYSTEM)
            token, _ = create_partner_token(partner.uid, name, session=session, principal=SYSTEM)
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(token)


@partner_app.command("add")
def partner_add(
    name: str,
    collection: list[str] = typer.Option(..., "--collection", help="A path it reads; repeat for several."),
    retired: bool = typer.Option(False, "--retired", help="Its tokens also read retired cases."),
    contact: str = typer.Option("", "--contact", help="Who to contact at the partner."),
) -> None:
    """Create a partner school that reads the given collections (and everything under them)."""
    from content.collections.service import by_path
    from content.partners.models import PartnerCreate
    from content.partners.service import create_partner
    from content.principal import SYSTEM

    with _sessions(Settings()).scope() as session:
        try:
            uids = [by_path(path, session=session).uid for path in collection]
            partner = create_partner(
                PartnerCreate(name=name, contact=contact, may_see_retired=retired, collection_uids=uids),
                session=session,
                principal=SYSTEM,
            )
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(
        f"added partner {partner.name} reading {', '.join(collection)}" + (" (retired cases too)" if retired else "")
    )


@lti_app.command("add-platform")
def lti_add_platform(
    issuer: str = typer.Option(..., "--issuer", help="The platform's issuer (iss), a URL."),
    client_id: str = typer.Option(..., "--client-id", help="The client id the platform gave this tool."),
    deployment_id: str = typer.Option(..., "--deployment-id", help="A deployment id; repeat the command to add more."),
    auth_url: str = typer.Option(..., "--auth-url", help="The platform's OIDC authorisation endpoint."),
    token_url: str = typer.Option(..., "--token-url", help="The platform's OAuth2 token endpoint (grades)."),
    jwks_url: str = typer.Option(..., "--jwks-url", help="The platform's public keys (JWKS)."),
    name: str = typer.Option("", "--name", help="A name to show administrators."),
) -> None:
    """Register a platform (or add a deployment id to one registered)."""
    from content.lti.platforms import PlatformInput, register_platform
    from content.principal import SYSTEM

    data = PlatformInput(issuer, client_id, deployment_id, auth_url, token_url, jwks_url, name)
    with _sessions(Settings()).scope() as session:
        try:
            platform, deployments = register_platform(data, session=session, principal=SYSTEM)
        except DomainError as exc:
            _fail(exc.message)
    typer.echo(f"registered {platform.issuer} (client {platform.client_id}; deployments {', '.join(deployments)})")


@lti_app.command("rotate-key")
def lti_rotate_key() -> None:
    """Make a new tool signing key; the old one stays published for two days."""
    from content.lti.keys import rotate

    settings = Settings()
    with _sessions(settings).scope() as session:
        kid = rotate(session=session, secret=settings.secret())
    typer.echo(f"tool key rotated: new kid {kid}")


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
def worker(
    concurrency: int = typer.Option(1, "--concurrency", help="Jobs run at once in this process."),
    once: bool = typer.Option(False, "--once", help="Run the waiting jobs, then exit."),
) -> None:
    """Run queued jobs (previews, catalog retries, webhook deliveries, LTI scores); start any number, on any machine."""
    runtime = _runtime()
    try:
        if runtime.queue is None:
            _fail("no job queue: set LIGHTBOX_JOB_QUEUE=1 with a PostgreSQL LIGHTBOX_DATABASE_URL")
            return
        runtime.queue.run_worker(concurrency=concurrency, wait=not once)
    finally:
        runtime.close()


@app.command()
def jobs(failures: int = typer.Option(10, "--failures", help="How many recent failed jobs to list.")) -> None:
    """Queued, running, done and failed jobs, and the most recent failures."""
    from content.webhooks.claims import state_counts
    from jobs.queue import queue_report

    runtime = _runtime()
    try:
        with runtime.sessions.scope() as session:
            report = queue_report(session, failures=failures)
            outbox = state_counts(session)
    finally:
        runtime.close()
    webhooks = "webhook deliveries: " + "  ".join(f"{state.lower()}: {n}" for state, n in outbox.items())
    if not report.queue:
        typer.echo("no job queue in this database (jobs run in each process; see docs/deployment.md)")
        typer.echo(webhooks)
        return
    typer.echo("  ".join(f"{status}: {n}" for status, n in report.counts.items()))
    for task, counts in sorted(report.by_task.items()):
        typer.echo(f"{task}  " + "  ".join(f"{status}: {n}" for status, n in counts.items() if n))
    typer.echo(webhooks)
    for job in report.failures:
        typer.echo(f"failed #{job.id} {job.task} {job.lock or ''} attempts={job.attempts} at={job.at}")


@app.command()
def reindex() -> None:
    """Rebuild the catalog from the database."""
    from sqlmodel import func, select

    from content.cases.models import Case
    from search.consistency import rebuild

    runtime = _runtime()
    with runtime.sessions.scope() as session:
        total = session.exec(select(func.count()).select_from(Case)).one()
        progress = _Progress("reindexing cases' entries", None)
        try:
            count = rebuild(runtime.catalog, session, progress=progress)
        finally:
            progress.close()
    runtime.close()
    typer.echo(f"catalog rebuilt: {count} entries for {total} cases")


@app.command()
def check(repair: bool = typer.Option(False, "--repair", help="Re-project what is out of step.")) -> None:
    """Check the database against itself, the media store and the catalog; exit 1 on any problem."""
    from content.integrity import check_repository
    from media.store import ContentStore
    from search.consistency import check as check_catalog
    from search.consistency import repair as repair_catalog

    runtime = _runtime()
    with runtime.sessions.scope() as session:
        problems = check_repository(session, has_blob=ContentStore(runtime.settings.media_dir).has)
        diff = repair_catalog(runtime.indexer, session) if repair else check_catalog(runtime.catalog, session)
    runtime.close()
    for problem in problems:
        typer.echo(f"repository {problem.line()}")
    if not problems:
        typer.echo("repository is consistent")
    for label, ids in (("missing", diff.missing), ("stale", diff.stale), ("orphaned", diff.orphaned)):
        for doc_id in ids:
            typer.echo(f"catalog {label}: {doc_id}")
    if diff.consistent:
        typer.echo("catalog and database agree")
    elif repair:
        typer.echo(f"repaired {len(diff.case_uids)} case(s)")
    else:
        typer.echo(
            f"{len(diff.case_uids)} case(s) out of step; run `lightbox check --repair` or `lightbox reindex`", err=True
        )
    if problems or not (diff.consistent or repair):
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the GraphQL SDL."""
    from schema.build import sdl

    sys.stdout.write(sdl())


@app.command()
def render(
    file: Path,
    out: Path = typer.Option(Path("out.png"), "-o", "--out"),
    size: int | None = typer.Option(None, "--size"),
    frame: int = typer.Option(1, "--frame"),
    window: str | None = typer.Option(None, "--window", help="CENTER,WIDTH"),
    preset: str | None = typer.Option(None, "--preset"),
) -> None:
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
    engine.dispose()
    runtime = _runtime(settings)
    with runtime.sessions.scope() as session:
        for line in seed(session, settings=settings):
            typer.echo(line)
    runtime.close()
    if not seed_only:
        serve(port=port)


if __name__ == "__main__":
    app()
