"""`openimr serve` (the case service) and `openimr db upgrade|current` (its database schema)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import typer

from openimr.cli.common import fail

DB_HELP = "SQLAlchemy database URL (default: $OPENIMR_DATABASE_URL, else sqlite:///openimr.db in the current directory)"


def _settings(**overrides):
    from pydantic import ValidationError

    from openimr.workflow.settings import settings

    try:
        return settings(**overrides)
    except ValidationError as exc:
        e = exc.errors()[0]
        fail(f"OPENIMR_{str(e['loc'][0]).upper()}: {e['msg']}")


def _url(database: str | None) -> str:
    return database or _settings().database_url


def _engine(url: str):
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from openimr.workflow.db import make_engine

    try:
        return make_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        fail(f"--database: not a usable database URL ({type(exc).__name__})")


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    database: str = typer.Option(None, "--database", help=DB_HELP),
    organization: str = typer.Option(None, "--organization", envvar="OPENIMR_ORGANIZATION",
                                     help="The IMR organization named in issued letters."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
                                help="Worker processes (more than 1 suits PostgreSQL; SQLite has one writer)."),
    precedents: Path | None = typer.Option(None, "--precedents", envvar="OPENIMR_PRECEDENTS_DIR",
                                           help="Folder of the precedent index: drafts show precedents from the "
                                                "issued determinations (and --precedents-corpus letters)."),
    precedents_corpus: Path | None = typer.Option(None, "--precedents-corpus", envvar="OPENIMR_PRECEDENTS_CORPUS",
                                                  help="Letters corpus loaded into the precedent index."),
) -> None:
    """Run the IMR case service (migrates the database first; OPENIMR_BOOTSTRAP_TOKEN creates the first admin)."""
    import logging

    import uvicorn
    from sqlalchemy.exc import OperationalError

    from openimr.api.app import create_app
    from openimr.workflow.migrate import upgrade
    from openimr.workflow.service import CaseService
    from openimr.workflow.settings import check_bootstrap_token

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)  # and the engine hides bound parameters
    cfg = _settings()
    token = cfg.bootstrap_token.get_secret_value() if cfg.bootstrap_token else None
    try:
        check_bootstrap_token(token)
    except ValueError as exc:
        fail(str(exc))
    url = database or cfg.database_url
    engine = _engine(url)
    try:
        upgrade(engine)
    except OperationalError as exc:
        _cannot_open(exc)
    kwargs: dict = {"organization": organization} if organization else {}
    kwargs.update(draft_processes=cfg.draft_processes, draft_nice=cfg.draft_nice)  # issue 15
    if precedents is not None or precedents_corpus is not None:
        from openimr.errors import InputError
        from openimr.precedents.index import default_index_dir
        from openimr.precedents.service import ServicePrecedents

        if workers > 1:
            fail("--precedents: one worker process only (--workers 1)")
        try:
            # its own folder, never the corpus's CLI index: issued determinations must not leak into it
            folder = precedents or Path(str(default_index_dir(precedents_corpus)) + "-service")
            kwargs["precedents"] = ServicePrecedents(folder, precedents_corpus)
        except InputError as exc:
            fail(str(exc))
    service = CaseService(engine, **kwargs)
    if workers == 1:
        service.warm_up()  # load the engine's models before accepting requests
        uvicorn.run(create_app(service=service), host=host, port=port, log_level=log_level)
        return
    service.bootstrap(token)  # once, before the workers start
    engine.dispose()
    os.environ["OPENIMR_DATABASE_URL"] = url
    if organization:
        os.environ["OPENIMR_ORGANIZATION"] = organization
    _run_workers(workers, host, port, log_level)


def nodelay_socket(config):
    """The listening socket uvicorn shares between its worker processes, with TCP_NODELAY set (issue 15).

    uvicorn binds it as `socket.socket(family)` (protocol 0), so asyncio, which switches Nagle off only on
    sockets whose protocol is IPPROTO_TCP, leaves it on for every accepted connection: a keep-alive reply
    then waits on the client's delayed ACK (about 40 ms). Accepted sockets inherit TCP_NODELAY from the
    listening socket on Linux, so setting it here restores what a single worker gets."""
    import socket

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _run_workers(workers: int, host: str, port: int, log_level: str) -> None:
    """`uvicorn.run(..., workers=N)`, with the shared socket bound by `nodelay_socket`."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("openimr.api.app:app_from_env", factory=True, workers=workers, host=host, port=port,
                            log_level=log_level)
    with contextlib.suppress(KeyboardInterrupt):
        Multiprocess(config, sockets=[nodelay_socket(config)]).run()


def db_upgrade(database: str = typer.Option(None, "--database", help=DB_HELP),
               revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or upgrade the case service's database schema (Alembic; idempotent)."""
    from sqlalchemy.exc import OperationalError

    from openimr.workflow.migrate import current_revision, upgrade

    engine = _engine(_url(database))
    try:
        upgrade(engine, revision)
    except OperationalError as exc:
        _cannot_open(exc)
    typer.echo(f"database at revision {current_revision(engine)}")


def _cannot_open(exc: Exception) -> None:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    fail(f"--database: cannot open the database ({(detail[0] if detail else type(exc).__name__)[:200]})")


def db_current(database: str = typer.Option(None, "--database", help=DB_HELP)) -> None:
    """Print the database's schema revision."""
    from sqlalchemy.exc import DBAPIError, OperationalError

    from openimr.workflow.migrate import current_revision

    try:
        rev = current_revision(_engine(_url(database)))
    except (OperationalError, DBAPIError) as exc:  # e.g. PostgreSQL unreachable: one line, no traceback
        _cannot_open(exc)
    typer.echo(rev or "(empty: run `openimr db upgrade`)")


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    app.command("serve")(serve)
    db_app = typer.Typer(help="The case service's database.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    db_app.command("current")(db_current)
    app.add_typer(db_app, name="db")
