"""The `tellsafe` command line."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.clock import ManualClock
from bot.config import Settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "db", None):
        settings = replace(settings, database_url=args.db)
    return settings


def cmd_chat(args: argparse.Namespace) -> int:
    """Talk to the bot in the terminal."""
    from bot.runtime import build_runtime
    from bot.terminal import chat

    chat(build_runtime(_settings(args)))
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    """Run the JSON-lines simulation on stdin/stdout."""
    from bot.runtime import build_runtime
    from bot.simulate import Simulator

    with tempfile.TemporaryDirectory(prefix="tellsafe-sim-") as scratch:
        settings = _settings(args)
        if not args.db:
            settings = replace(settings, database_url=f"sqlite:///{Path(scratch) / 'sim.db'}")
        if settings.keys is None and not args.db:
            settings = replace(settings, data_dir=Path(scratch))
        runtime = build_runtime(settings, clock=ManualClock())
        Simulator(runtime, sys.stdout).run(sys.stdin)
        runtime.database.dispose()
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Print every case as JSON lines or CSV."""
    from bot.runtime import build_runtime
    from cases.export import case_records, to_csv, to_json_lines

    runtime = build_runtime(_settings(args), migrate=False)
    with runtime.sessions() as session:
        if args.format == "json":
            for line in to_json_lines(case_records(session)):
                sys.stdout.write(line + "\n")
        else:
            sys.stdout.write(to_csv(case_records(session)))
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database to the newest schema."""
    from cases.db import make_engine, upgrade

    upgrade(make_engine(_settings(args).database_url))
    return 0


def cmd_i18n(args: argparse.Namespace) -> int:
    """Extract, update and compile the translation catalogs."""
    from content import catalogs

    with catalogs.locked():
        if args.action in ("all", "extract"):
            catalogs.extract()
        if args.add:
            catalogs.add(args.add)
        if args.action in ("all", "update"):
            catalogs.update()
        if args.import_file:
            written = catalogs.import_translations(args.import_file)
            sys.stdout.write(f"{written} translations written\n")
        if args.action in ("all", "compile"):
            catalogs.compile_all()
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the webhooks and the web chat."""
    from bot.web.server import serve

    settings = _settings(args)
    if args.host:
        settings = replace(settings, host=args.host)
    if args.port:
        settings = replace(settings, port=args.port)
    if args.public_url:
        settings = replace(settings, public_url=args.public_url.rstrip("/"))
    if args.workers:
        settings = replace(settings, workers=args.workers)
    # Worker processes read their settings from the environment: pass the flags on.
    os.environ.update(
        TELLSAFE_DATABASE_URL=settings.database_url,
        TELLSAFE_HOST=settings.host,
        TELLSAFE_PORT=str(settings.port),
    )
    if settings.public_url:
        os.environ["TELLSAFE_PUBLIC_URL"] = settings.public_url
    serve(settings)
    return 0


def cmd_telegram_poll(args: argparse.Namespace) -> int:
    """Take Telegram updates by polling."""
    from bot.web.server import telegram_poll

    telegram_poll(_settings(args))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    """Send the outbox and follow-ups."""
    from bot.web.server import worker

    worker(_settings(args))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="tellsafe", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    chat = sub.add_parser("chat", help="talk to the bot in this terminal")
    chat.add_argument("--db", help="SQLAlchemy database URL (default: the data directory)")
    chat.set_defaults(func=cmd_chat)

    simulate = sub.add_parser("simulate", help="JSON lines in, JSON lines out")
    simulate.add_argument("--db", help="SQLAlchemy URL (default: a fresh temporary database)")
    simulate.set_defaults(func=cmd_simulate)

    export = sub.add_parser("export", help="print every case")
    export.add_argument("--db", help="SQLAlchemy database URL")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.set_defaults(func=cmd_export)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_upgrade = db_sub.add_parser("upgrade", help="migrate to the newest schema")
    db_upgrade.add_argument("--db", help="SQLAlchemy database URL")
    db_upgrade.set_defaults(func=cmd_db_upgrade)

    i18n = sub.add_parser("i18n", help="extract, update and compile the translation catalogs")
    i18n.add_argument(
        "action", nargs="?", default="all", choices=("all", "extract", "update", "compile")
    )
    i18n.add_argument("--add", metavar="LANG", help="start a catalog for a new language")
    i18n.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="YAML",
        help="write translations from a YAML file (after extract and update)",
    )
    i18n.set_defaults(func=cmd_i18n)

    serve = sub.add_parser("serve", help="serve SMS and Telegram webhooks and the web chat")
    serve.add_argument("--db", help="SQLAlchemy database URL")
    serve.add_argument("--host", help="interface to listen on (TELLSAFE_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (TELLSAFE_PORT)")
    serve.add_argument("--public-url", help="public base URL (TELLSAFE_PUBLIC_URL)")
    serve.add_argument("--workers", type=int, help="server processes (TELLSAFE_WORKERS)")
    serve.set_defaults(func=cmd_serve)

    poll = sub.add_parser("telegram-poll", help="take Telegram updates by polling, no URL needed")
    poll.add_argument("--db", help="SQLAlchemy database URL")
    poll.set_defaults(func=cmd_telegram_poll)

    worker = sub.add_parser("worker", help="send the outbox and follow-ups without serving")
    worker.add_argument("--db", help="SQLAlchemy database URL")
    worker.set_defaults(func=cmd_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
