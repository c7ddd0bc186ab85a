"""The composition root: `create_app(settings)` wires engine, sessions, events, schema and routes."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from graphql import GraphQLError
from starlette.concurrency import run_in_threadpool
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api import migrate
from api.deps import bearer_of
from api.dicomweb import dicomweb_router
from api.errors import domain_error_handler, graphql_error, graphql_refusal
from api.exposure import introspects, without_suggestions
from api.graphiql import graphiql_router
from api.graphiql import page as graphiql_page
from api.imports import uploads_router
from api.inputs import contains_nul, load_json
from api.limits import read_body
from api.lti import lti_router
from api.media_routes import media_router
from api.observability import RequestMiddleware, metrics_response, request_id
from api.persisted import PersistedQueries
from api.ratelimit import Buckets, RateLimitMiddleware, login_gate
from api.runtime import Runtime
from api.settings import Settings
from api.ui import ui_router
from content.base import utcnow
from content.errors import DomainError, ErrorCode
from content.security.authentication import authenticate
from media.store import ContentStore
from schema.build import build_schema
from schema.core.context import Context

log = logging.getLogger("lightbox")


class FastJSONResponse(JSONResponse):
    """A JSONResponse rendered by orjson: the same compact UTF-8 JSON, several times faster."""

    def render(self, content: Any) -> bytes:
        try:
            return orjson.dumps(content)
        except TypeError:  # what orjson does not take (an int past 64 bits) goes the standard way
            return super().render(content)


# A refusal that must never be cached, above all an unknown persisted query answered 200.
NO_STORE = {"cache-control": "no-store"}


def _refusal(message: str, code: ErrorCode, status: int | None = None) -> JSONResponse:
    return graphql_refusal(DomainError(code, message), status=status)


def _format_error(err: GraphQLError, request_id: str, *, suggestions: bool = True) -> dict[str, Any]:
    original = err.original_error
    if isinstance(original, DomainError):
        return graphql_error(original.message, original.code, path=err.path)
    if original is not None and not isinstance(original, GraphQLError):
        # Unexpected: log it with the request id and tell the client nothing internal.
        log.error("request %s failed", request_id, exc_info=original)
        return graphql_error("internal error", ErrorCode.INTERNAL, path=err.path, request_id=request_id)
    # Parsing, validation and input coercion (a variable of the wrong type, an unknown enum
    # value, an unparsable DateTime): graphql-core and strawberry refusing the request.
    message = err.message if suggestions else without_suggestions(err.message)
    return graphql_error(message, ErrorCode.INVALID_QUERY, locations=[loc._asdict() for loc in err.locations or []])


def create_app(settings: Settings, *, check_schema: bool = True, repair_catalog: bool = False) -> FastAPI:
    runtime = Runtime.open(settings, check_schema=check_schema)
    if repair_catalog:
        # Whatever a crash left out of the catalog (a lost retry queue, a killed rebuild) is put
        # back in the background, so a restarted service converges without an operator.
        threading.Thread(target=runtime.repair_catalog, name="catalog-repair", daemon=True).start()
    engine, bus, sessions, catalog = runtime.engine, runtime.bus, runtime.sessions, runtime.catalog
    schema = build_schema(
        max_depth=settings.max_query_depth, max_tokens=settings.max_query_tokens, max_aliases=settings.max_aliases
    )
    secret = settings.secret()
    media_store = ContentStore(settings.media_dir)
    persisted = PersistedQueries(max_entries=settings.persisted_query_entries)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        runtime.close()

    app = FastAPI(title="Lightbox", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.settings, app.state.sessions, app.state.bus = settings, sessions, bus
    app.state.runtime, app.state.catalog, app.state.persisted = runtime, catalog, persisted
    login_buckets = Buckets(settings.login_attempts_per_minute)
    # Outermost first: ids, headers and metrics wrap everything, including rate-limit refusals.
    app.add_middleware(
        RateLimitMiddleware,
        per_minute=settings.rate_limit_per_minute,
        images_per_minute=settings.image_rate_limit_per_minute,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            # accept and if-none-match: DICOMweb viewers negotiate frame types and revalidate by ETag.
            allow_headers=["authorization", "content-type", "x-request-id", "accept", "if-none-match"],
            expose_headers=["x-request-id", "etag", "warning"],
            max_age=600,
        )
    app.add_middleware(RequestMiddleware)
    if settings.trusted_proxies:
        # Outermost, so rate limits, the sign-in throttle and logs see the client a trusted proxy
        # names; from any other peer X-Forwarded-For is ignored (`lightbox serve` turns off uvicorn's own).
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_route("/metrics", metrics_response, include_in_schema=False)
    app.state.secret = secret
    # Self-study's clock (content/learning schedules against it): the wall clock. Only code in this process
    # can replace it (the browser tests move it to see a card fall due); no route or setting reaches it.
    app.state.clock = utcnow
    app.add_exception_handler(DomainError, domain_error_handler)
    for router in (media_router, uploads_router, dicomweb_router, ui_router, graphiql_router, lti_router):
        app.include_router(router)

    def execute(
        request: Request,
        body: dict[str, Any],
        allowed: tuple[OperationType, ...] = (OperationType.QUERY, OperationType.MUTATION),
    ) -> Response:
        rid = request_id.get()
        try:
            # A persisted query's hash becomes its text here, before any check: each one below
            # and in the schema applies to the text a hash names exactly as to a text sent in full.
            query = persisted.resolve(body.get("query"), body.get("extensions"))
        except DomainError as exc:
            return graphql_refusal(exc, headers=NO_STORE)
        variables = body.get("variables")
        operation = body.get("operationName")
        if (
            not isinstance(query, str)
            or (variables is not None and not isinstance(variables, dict))
            or (operation is not None and not isinstance(operation, str))
        ):
            return _refusal("a query string is required", ErrorCode.INVALID_QUERY)
        if contains_nul(query, variables):
            # No database stores U+0000 in text (PostgreSQL refuses it even in a WHERE clause).
            return _refusal("text may not contain NUL (U+0000) characters", ErrorCode.INVALID_INPUT)
        bearer = bearer_of(request)
        with sessions.scope() as session:
            try:
                principal = authenticate(bearer, session=session, secret=secret, revocations=runtime.revocations)
            except DomainError as exc:
                return graphql_refusal(exc, status=401)
            signed_in = not principal.is_anonymous
            if not (signed_in and settings.graphql_introspection) and introspects(
                query, max_tokens=settings.max_query_tokens
            ):
                why = "sign in first" if settings.graphql_introspection else "it is turned off on this server"
                return _refusal(f"introspection is not available: {why}", ErrorCode.INVALID_QUERY)
            ctx = Context(
                principal=principal,
                session=session,
                secret=secret,
                token_ttl_seconds=settings.token_ttl_seconds,
                catalog=catalog,
                password_policy=runtime.password_policy,
                store=media_store,
                login_gate=login_gate(login_buckets, request.client.host if request.client else "unknown"),
                webhook_targets=runtime.dispatcher.config.targets,
                clock=app.state.clock,
            )
            try:
                result = schema.execute_sync(
                    query,
                    variable_values=variables,
                    context_value=ctx,
                    operation_name=operation,
                    allowed_operation_types=allowed,
                )
            except InvalidOperationTypeError:
                # Decided from the parsed operation that would run, whatever comments precede it.
                return _refusal(
                    "only queries run over GET; send mutations with POST", ErrorCode.INVALID_INPUT, status=405
                )
            except (CannotGetOperationTypeError, MissingQueryError) as exc:
                # An empty document, or no operation of that name in it: strawberry raises these
                # before graphql-core can report them as errors.
                return _refusal(f"no operation to run: {exc}", ErrorCode.INVALID_QUERY)
        out: dict[str, Any] = {"data": result.data}
        if result.errors:
            out["errors"] = [_format_error(e, rid, suggestions=signed_in) for e in result.errors]
        status = 200 if result.data is not None or not result.errors else 400
        response = FastJSONResponse(out, status_code=status, headers={"x-request-id": rid})
        if OperationType.MUTATION not in allowed and status == 200 and not result.errors:
            # GET (queries only): a short hash URL can be revalidated. The answer depends on who
            # asks and changes with the data, so private and revalidated every time, never shared.
            etag = '"' + hashlib.sha256(response.body).hexdigest()[:32] + '"'
            cache = {"etag": etag, "cache-control": "private, no-cache", "vary": "authorization"}
            if etag in request.headers.get("if-none-match", ""):
                return Response(status_code=304, headers={"x-request-id": rid, **cache})
            response.headers.update(cache)
        return response

    @app.post("/graphql", response_model=None)
    async def graphql_post(request: Request) -> Response:
        # Size and nesting are measured on the bytes, before json.loads builds Python objects.
        try:
            body = load_json(
                await read_body(request, settings.max_graphql_bytes),
                max_bytes=settings.max_graphql_bytes,
                max_depth=settings.max_json_depth,
            )
        except DomainError as exc:
            return graphql_refusal(exc)  # 413 past the cap, 400 for malformed JSON
        if not isinstance(body, dict):
            return _refusal("the body must be a JSON object with a query", ErrorCode.INVALID_QUERY)
        return await run_in_threadpool(execute, request, body)

    @app.get("/graphql", response_model=None)
    def graphql_get(request: Request) -> Response:
        params = request.query_params
        if "query" not in params and "extensions" not in params:
            return graphiql_page()  # a browser: GraphiQL, from our own files
        try:
            extensions = (
                load_json(
                    params["extensions"],
                    max_bytes=settings.max_graphql_bytes,
                    max_depth=settings.max_json_depth - 1,
                    what="extensions",
                )
                if params.get("extensions")
                else None
            )
            variables = (
                load_json(
                    params["variables"],
                    max_bytes=settings.max_graphql_bytes,
                    max_depth=settings.max_json_depth - 1,  # as nested in a POST body
                    what="variables",
                )
                if params.get("variables")
                else None
            )
        except DomainError as exc:
            return graphql_refusal(exc)  # 413 past the cap, 400 for malformed JSON
        body = {"query": params.get("query"), "variables": variables, "operationName": params.get("operationName")}
        # Set apart so this request body is not taken for an error body by the check that
        # keeps those in api/errors.py (tests/api/test_error_bodies.py).
        body["extensions"] = extensions
        return execute(request, body, allowed=(OperationType.QUERY,))

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        checks = {"database": False, "catalog": False}
        try:
            checks["database"] = migrate.is_current(engine)
        except Exception:
            log.warning("readiness: the database did not answer", exc_info=True)
        try:
            catalog.doc_count()
            checks["catalog"] = True
        except Exception:
            log.warning("readiness: the catalog did not answer", exc_info=True)
        ok = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ok else "not ready", "checks": checks}, status_code=200 if ok else 503
        )

    return app


def app_from_env() -> FastAPI:
    """uvicorn's factory: each worker builds its app from the environment when it starts."""
    return create_app(Settings(), repair_catalog=True)
