"""Everything a process needs to serve or change the repository, built once from the settings.

The app and every CLI command that writes go through here, so a case changed from any entry
point reaches the catalog after its commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from api import migrate
from api.db import SessionFactory, make_engine
from api.settings import Settings
from content import events
from content.base import utcnow
from content.security.password_policy import PasswordPolicy
from content.security.revocation import RevocationCache
from content.webhooks import claims
from content.webhooks.outbox import Outbox
from integrations.annotations.export import AnnotationExporter
from integrations.lti.grades import GradePassback, pass_back
from integrations.webhooks.dispatcher import DispatchConfig, WebhookDispatcher
from jobs.queue import JobEnv, JobQueue
from jobs.retry import Backoff, exponential
from jobs.runner import InProcessRunner
from media.store import ContentStore
from schema.core.ids import to_global_id
from search import SearchBackend, open_backend
from search.indexer import CatalogIndexer

log = logging.getLogger(__name__)


def env_retry(settings: Settings) -> Backoff:
    """The queue's retry strategy (webhook deliveries keep their own schedule, see jobs.retry)."""
    return Backoff(exponential(wait=settings.job_retry_wait))


class SchemaBehind(RuntimeError):
    pass


class SettingsRefused(ValueError):
    """A combination of settings this process cannot run with (said in the message)."""


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    bus: events.EventBus
    sessions: SessionFactory
    catalog: SearchBackend
    indexer: CatalogIndexer
    dispatcher: WebhookDispatcher
    revocations: RevocationCache
    password_policy: PasswordPolicy
    queue: JobQueue | None = None  # the PostgreSQL queue shared with `lightbox worker`s, when configured
    jobs: JobQueue | None = None  # what runs this process's jobs: that queue, or the in-process runner

    @classmethod
    def open(cls, settings: Settings, *, check_schema: bool = True) -> Runtime:
        engine = make_engine(settings)
        if check_schema and not migrate.is_current(engine):
            engine.dispose()
            raise SchemaBehind("the database schema is behind; run `lightbox migrate`")
        bus = events.EventBus()
        sessions = SessionFactory(engine, bus)
        catalog = open_backend(settings.db_url, settings.index_dir, engine=engine)
        indexer = CatalogIndexer(catalog, sessions.scope)
        indexer.subscribe(bus)
        # Webhooks: deliveries are written in the transaction of the change (the outbox); after the
        # commit a job per delivery sends it, on the queue or the in-process runner (one path).
        Outbox(max_attempts=settings.webhook_max_attempts, ids=to_global_id).subscribe(bus)
        dispatcher = WebhookDispatcher(
            sessions.scope,
            server_key=settings.secret(),
            config=DispatchConfig(
                timeout_seconds=settings.webhook_timeout_seconds,
                retry_base_seconds=settings.webhook_retry_base_seconds,
                retry_max_seconds=settings.webhook_retry_max_seconds,
                poll_seconds=settings.webhook_poll_seconds,
                allow_internal_targets=settings.webhook_allow_internal_targets,
                https_only=settings.webhook_https_only,
            ),
        )
        env = cls._job_env(settings, sessions, indexer, dispatcher)
        queue = cls._open_queue(settings, env, indexer, bus)
        jobs = queue or InProcessRunner(env, retry=env_retry(settings), sweep_seconds=settings.webhook_poll_seconds)
        if settings.webhook_dispatch:

            def deliveries_due(event: events.Event) -> None:
                assert isinstance(event, events.WebhooksDue)
                for uid in event.delivery_uids:
                    jobs.defer_delivery(uid, again=event.redelivery)

            bus.subscribe(events.WebhooksDue, deliveries_due)
            if queue is None:
                assert isinstance(jobs, InProcessRunner)
                jobs.start()  # sends what a previous run of this process left due
        # LTI: a worklist's score goes to the VLE's gradebook when its marking is done.
        GradePassback(sessions.scope, secret=settings.secret(), defer=jobs.defer_scores).subscribe(bus)
        # A validated version's annotations become a DICOM SR beside its images (served by /dicomweb).
        AnnotationExporter(ContentStore(settings.media_dir)).subscribe(bus)
        # Live sessions and API tokens, known without a query; dropped when this process ends one,
        # and when the revocation clock (read at most once a second) says another process did.
        revocations = RevocationCache(refresh_seconds=1.0)
        revocations.subscribe(bus)
        return cls(
            settings,
            engine,
            bus,
            sessions,
            catalog,
            indexer,
            dispatcher,
            revocations,
            PasswordPolicy(min_length=settings.password_min_length),
            queue,
            jobs,
        )

    @staticmethod
    def _job_env(
        settings: Settings, sessions: SessionFactory, indexer: CatalogIndexer, dispatcher: WebhookDispatcher
    ) -> JobEnv:
        def overdue(seconds: float) -> list[str]:
            with sessions.scope() as session:
                return claims.overdue(session, before=utcnow() - timedelta(seconds=seconds))

        def scores(assignment_uid: str) -> None:
            pass_back(assignment_uid, scope=sessions.scope, secret=settings.secret())

        return JobEnv(
            sessions.scope,
            ContentStore(settings.media_dir),
            indexer.apply,
            deliver=dispatcher.deliver,
            pass_back=scores,
            # A process that must not send webhooks (webhook_dispatch off) does not sweep them either.
            **({"overdue": overdue} if settings.webhook_dispatch else {}),
        )

    @staticmethod
    def _open_queue(settings: Settings, env: JobEnv, indexer: CatalogIndexer, bus: events.EventBus) -> JobQueue | None:
        """The job queue, when configured: previews of imported studies become jobs (the import
        then leaves them out, see importers.pipeline), and a failed catalog update a retried job
        instead of a retry in this process (which a restart would lose)."""
        if not settings.job_queue:
            return None
        if not settings.is_postgres:
            raise SettingsRefused("LIGHTBOX_JOB_QUEUE needs PostgreSQL: workers share the queue through the database")
        queue = JobQueue(settings.db_url, env, retry=env_retry(settings))
        queue.open()

        def previews_due(event: events.Event) -> None:
            assert isinstance(event, events.PreviewsDue)
            queue.defer_previews(event.study_instance_uid)

        bus.subscribe(events.PreviewsDue, previews_due)
        indexer.retry_elsewhere = queue.defer_reindex
        return queue

    def repair_catalog(self) -> None:
        from search.consistency import repair

        try:
            with self.sessions.scope() as session:
                diff = repair(self.indexer, session)
            if not diff.consistent:
                log.warning("catalog repaired at start: %d case(s) were out of step", len(diff.case_uids))
        except Exception:
            log.exception("catalog repair at start failed; run `lightbox check --repair`")

    def close(self) -> None:
        if self.jobs is not None:
            self.jobs.close()
        self.dispatcher.close()
        self.indexer.close()
        self.catalog.close()
        self.engine.dispose()
