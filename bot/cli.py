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
from typing import Any

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
    from cases import lawful_basis

    # An export hands special category data on: each case's use is on the trail.
    with runtime.sessions.begin() as session:
        lawful_basis.record_export(session, runtime.clock.now(), "cli:export")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Migrate the database to the newest schema."""
    from cases.db import make_engine, upgrade
    from cases.sealed import Keyring, install_keyring

    settings = _settings(args)
    # Some migrations seal values that were stored in the clear: they need the keys.
    install_keyring(Keyring.from_setting(settings.keys, settings.data_dir))
    upgrade(make_engine(settings.database_url))
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
    """Send the outbox, due check-ins and officer notices."""
    from followup.worker import run_worker

    run_worker(_settings(args))
    return 0


def cmd_officer_add(args: argparse.Namespace) -> int:
    """Create a console account and print its TOTP enrolment URI."""
    import getpass

    from bot.clock import SystemClock
    from cases.db import make_engine, session_factory, upgrade
    from cases.sealed import Keyring, install_keyring
    from officer.accounts import AccountError, create_officer
    from officer.auth import provisioning_uri

    settings = _settings(args)
    password = os.environ.get("TELLSAFE_OFFICER_PASSWORD") or getpass.getpass("Password: ")
    install_keyring(Keyring.from_setting(settings.keys, settings.data_dir))
    database = make_engine(settings.database_url)
    upgrade(database)
    try:
        with session_factory(database).begin() as session:
            officer, secret = create_officer(
                session,
                username=args.username,
                role=args.role,
                centre=args.centre,
                password=password,
                now=SystemClock().now(),
            )
    except AccountError as error:
        sys.stderr.write(f"tellsafe officer add: {error}\n")
        return 2
    finally:
        database.dispose()
    sys.stdout.write(
        f"Created {officer.role} {officer.username}.\n"
        "Enrol this in an authenticator app (shown once):\n"
        f"{provisioning_uri(officer.username, secret)}\n"
    )
    return 0


def _console_database(args: argparse.Namespace) -> Any:
    """The migrated database engine for console commands (keys installed)."""
    from cases.db import make_engine, upgrade
    from cases.sealed import Keyring, install_keyring

    settings = _settings(args)
    install_keyring(Keyring.from_setting(settings.keys, settings.data_dir))
    database = make_engine(settings.database_url)
    upgrade(database)
    return database


def cmd_centre_add(args: argparse.Namespace) -> int:
    """Register a reporting centre and print its web chat link."""
    from bot.clock import SystemClock
    from cases.db import session_factory
    from officer.centres import CentreError, LinkSettings, add_centre, links_for

    database = _console_database(args)
    try:
        with session_factory(database).begin() as session:
            centre = add_centre(
                session, args.code, args.name, args.area, SystemClock().now(), actor="cli"
            )
    except CentreError as error:
        sys.stderr.write(f"tellsafe centre add: {error}\n")
        return 2
    finally:
        database.dispose()
    public = _settings(args).public_url or "http://127.0.0.1:8000"
    links = links_for(centre.code, LinkSettings(public_url=public))
    sys.stdout.write(f"Registered {centre.code} ({centre.name}). Web chat: {links.web_chat}\n")
    return 0


def _token_command(args: argparse.Namespace, action: Any) -> int:
    """Run ``action(session, now)`` on the API tokens; errors become exit status 2."""
    from bot.clock import SystemClock
    from cases.db import session_factory
    from officer.api_tokens import TokenError

    database = _console_database(args)
    try:
        with session_factory(database).begin() as session:
            result: int = action(session, SystemClock().now())
    except TokenError as error:
        sys.stderr.write(f"tellsafe api-token: {error}\n")
        return 2
    finally:
        database.dispose()
    return result


def cmd_api_token_add(args: argparse.Namespace) -> int:
    """Create an API token and print it (the only time it is shown)."""
    from officer import api_tokens

    def add(session: Any, now: Any) -> int:
        scopes = args.scope or list(api_tokens.DEFAULT_SCOPES)
        row, secret = api_tokens.create_token(session, args.name, now, scopes)
        sys.stdout.write(f"Token {row.name} ({row.scopes}). Shown once; keep it secret:\n")
        sys.stdout.write(secret + "\n")
        return 0

    return _token_command(args, add)


def cmd_api_token_revoke(args: argparse.Namespace) -> int:
    """Revoke an API token for good."""
    from officer import api_tokens

    def revoke(session: Any, now: Any) -> int:
        if not api_tokens.revoke(session, args.name, now):
            sys.stderr.write(f"tellsafe api-token revoke: no live token named {args.name}\n")
            return 2
        sys.stdout.write(f"Revoked {args.name}.\n")
        return 0

    return _token_command(args, revoke)


def cmd_api_token_list(args: argparse.Namespace) -> int:
    """List API tokens: names, scopes, state (never the tokens)."""
    from officer import api_tokens

    def listing(session: Any, _now: Any) -> int:
        for row in api_tokens.list_tokens(session):
            state = f"revoked {row.revoked_at:%Y-%m-%d}" if row.revoked_at else "live"
            sys.stdout.write(f"{row.name}\t{row.scopes}\t{state}\n")
        return 0

    return _token_command(args, listing)


def _add_centre_and_token_parsers(sub: Any) -> None:
    """``tellsafe centre add`` and ``tellsafe api-token add|revoke|list``."""
    centre = sub.add_parser("centre", help="reporting centres")
    centre_sub = centre.add_subparsers(dest="centre_command", required=True)
    centre_add = centre_sub.add_parser("add", help="register a centre (its link printed)")
    centre_add.add_argument("--db", help="SQLAlchemy database URL")
    centre_add.add_argument("--code", required=True, help="the code in its links, e.g. LIB-7")
    centre_add.add_argument("--name", required=True)
    centre_add.add_argument("--area", required=True, help="town, district or postcode area")
    centre_add.set_defaults(func=cmd_centre_add)

    token = sub.add_parser("api-token", help="tokens for the JSON API")
    token_sub = token.add_subparsers(dest="api_token_command", required=True)
    token_add = token_sub.add_parser("add", help="create a token (printed once)")
    token_add.add_argument("--name", required=True, help="who holds it, e.g. the force system")
    token_add.add_argument(
        "--scope",
        action="append",
        choices=("profile", "centres", "cases", "cases:flags", "cases:text"),
        help="repeat for several (default: profile, centres, cases)",
    )
    token_revoke = token_sub.add_parser("revoke", help="revoke a token for good")
    token_revoke.add_argument("--name", required=True)
    token_list = token_sub.add_parser("list", help="list tokens (never the tokens themselves)")
    token_add.set_defaults(func=cmd_api_token_add)
    token_revoke.set_defaults(func=cmd_api_token_revoke)
    token_list.set_defaults(func=cmd_api_token_list)
    for command in (token_add, token_revoke, token_list):
        command.add_argument("--db", help="SQLAlchemy database URL")


def _print_json(value: object) -> None:
    import json

    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _keys_database(settings: Settings, keys: list[bytes]) -> Any:
    from cases.db import make_engine, upgrade
    from cases.sealed import Keyring, install_keyring

    install_keyring(Keyring(keys))
    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    """Add a new primary key (key file) and re-encrypt every sealed value under it."""
    from cases import rotation

    settings = _settings(args)
    if settings.keys or args.resume:
        keys = rotation.load_keys(settings.keys, settings.data_dir)
        if settings.keys and not args.resume:
            sys.stderr.write(
                "TELLSAFE_KEYS is set: re-encrypting under its first key (put a new key "
                "from `tellsafe keys generate` first, and restart the service, to rotate)\n"
            )
    else:
        keys = rotation.add_key(settings.data_dir)
        sys.stderr.write("a new primary key was added; restart running tellsafe processes\n")
    engine = _keys_database(settings, keys)
    report = rotation.reencrypt(engine, keys, batch=args.batch)
    engine.dispose()
    _print_json({"reencrypted": report.total, "by_column": report.rotated})
    return 0


def cmd_keys_retire(args: argparse.Namespace) -> int:
    """Drop every key but the primary, moving the blind indexes to the new ring."""
    from cases import rotation

    if not args.service_stopped:
        sys.stderr.write(
            "retiring keys changes the blind-index key: stop every tellsafe process, "
            "then run again with --service-stopped\n"
        )
        return 2
    settings = _settings(args)
    keys = rotation.load_keys(settings.keys, settings.data_dir)
    if len(keys) == 1:
        sys.stderr.write("only one key is configured: nothing to retire\n")
        return 0
    engine = _keys_database(settings, keys)
    try:
        retired = rotation.retire(engine, keys, batch=args.batch)
    except RuntimeError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    finally:
        engine.dispose()
    if settings.keys:
        sys.stderr.write("now set TELLSAFE_KEYS to its first key alone, then start the service\n")
    else:
        rotation.write_key_file(settings.data_dir, retired)
    _print_json({"retired": len(keys) - len(retired)})
    return 0


def cmd_keys_generate(args: argparse.Namespace) -> int:
    """Print a new key (for TELLSAFE_KEYS)."""
    from cryptography.fernet import Fernet

    sys.stdout.write(Fernet.generate_key().decode("ascii") + "\n")
    return 0


def _find_person(session: Any, args: argparse.Namespace) -> int:
    """The person named by --reference or --channel/--address ("-" reads stdin)."""
    from cases import erasure

    if args.reference:
        return erasure.contact_for_reference(session, args.reference)
    if not (args.channel and args.address):
        raise SystemExit("give --reference, or --channel and --address")
    # "-" keeps a phone number out of the shell history and the process list.
    address = sys.stdin.readline().strip() if args.address == "-" else args.address
    return erasure.contact_for_address(session, args.channel, address)


def cmd_erase(args: argparse.Namespace) -> int:
    """Erase a person's data on request (audited, with a reason)."""
    from bot import erasure_prompts
    from bot.runtime import build_runtime
    from cases import erasure

    settings = _settings(args)
    runtime = build_runtime(settings)
    policy = erasure.ErasurePolicy(keep_statistics=settings.erasure_keeps_statistics)
    try:
        with runtime.sessions.begin() as session:
            contact_id = _find_person(session, args)
            keep = erasure.confirmation_conversation(session, contact_id) if args.notify else None
            record = erasure.erase_contact(
                session,
                contact_id,
                now=runtime.clock.now(),
                policy=policy,
                source=erasure.BY_OFFICER,
                actor=args.actor,
                reason=args.reason,
                note=args.note,
                keep_conversation_id=keep.id if keep else None,
            )
            if keep is not None:
                confirmation = erasure_prompts.erased(policy.keep_statistics)
                runtime.service.queue(session, keep, [confirmation])
            result = {
                "erasure": record.id,
                "counts": record.counts,
                "confirmation_queued": keep is not None,
            }
    except erasure.NothingToEraseError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    finally:
        runtime.database.dispose()
    _print_json(result)
    return 0


def cmd_retention_run(args: argparse.Namespace) -> int:
    """Purge what the retention policy no longer allows, and finish erasures."""
    from datetime import timedelta

    from bot.runtime import build_runtime
    from cases.retention import run_retention

    settings = _settings(args)
    runtime = build_runtime(settings)
    report = run_retention(
        runtime.sessions,
        settings.retention(),
        runtime.clock.now(),
        # Run from cron, with no worker loop, this is the only purge of the digests.
        seen_keep=timedelta(days=settings.seen_deliveries_days),
    )
    runtime.database.dispose()
    _print_json(report.as_dict())
    return 0


def cmd_subject_access(args: argparse.Namespace) -> int:
    """Print everything held about one person as JSON (subject access)."""
    from bot.runtime import build_runtime
    from cases import erasure, subject_access

    runtime = build_runtime(_settings(args))
    try:
        with runtime.sessions.begin() as session:
            contact_id = _find_person(session, args)
            document = subject_access.subject_access(
                session, contact_id, runtime.clock.now(), actor=args.actor
            )
    except erasure.NothingToEraseError as error:
        sys.stderr.write(f"{error}\n")
        return 1
    finally:
        runtime.database.dispose()
    sys.stdout.write(subject_access.to_json(document) + "\n")
    return 0


def _person_arguments(command: Any) -> None:
    command.add_argument("--db", help="SQLAlchemy database URL")
    command.add_argument("--reference", help="a case reference, e.g. TS-7KQ4-M9XD")
    command.add_argument("--channel", choices=("sms", "telegram", "web"))
    command.add_argument("--address", help='phone number, chat id or token ("-": read stdin)')
    command.add_argument("--actor", required=True, help="who is doing this (for the audit log)")


def _add_trust_parsers(sub: Any) -> None:
    """``tellsafe keys``, ``erase``, ``retention run`` and ``subject-access``."""
    from cases.erasure import OFFICER_REASONS

    keys = sub.add_parser("keys", help="encryption keys")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate = keys_sub.add_parser("rotate", help="new primary key; re-encrypt every row")
    rotate.add_argument("--resume", action="store_true", help="re-encrypt only, add no key")
    retire = keys_sub.add_parser("retire", help="drop old keys (service stopped)")
    retire.add_argument("--service-stopped", action="store_true")
    for command in (rotate, retire):
        command.add_argument("--db", help="SQLAlchemy database URL")
        command.add_argument("--batch", type=int, default=500, help="rows per transaction")
    rotate.set_defaults(func=cmd_keys_rotate)
    retire.set_defaults(func=cmd_keys_retire)
    generate = keys_sub.add_parser("generate", help="print a new key for TELLSAFE_KEYS")
    generate.set_defaults(func=cmd_keys_generate)

    erase = sub.add_parser("erase", help="erase a person's data on request (audited)")
    _person_arguments(erase)
    erase.add_argument("--reason", required=True, choices=OFFICER_REASONS)
    erase.add_argument("--note", help="how the request came (stored sealed)")
    erase.add_argument(
        "--notify", action="store_true", help="confirm to the person on their channel"
    )
    erase.set_defaults(func=cmd_erase)

    retention = sub.add_parser("retention", help="data retention")
    retention_sub = retention.add_subparsers(dest="retention_command", required=True)
    run = retention_sub.add_parser("run", help="purge what the policy no longer keeps")
    run.add_argument("--db", help="SQLAlchemy database URL")
    run.set_defaults(func=cmd_retention_run)

    access = sub.add_parser("subject-access", help="everything held about one person, as JSON")
    _person_arguments(access)
    access.set_defaults(func=cmd_subject_access)


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

    officer = sub.add_parser("officer", help="officer console accounts")
    officer_sub = officer.add_subparsers(dest="officer_command", required=True)
    officer_add = officer_sub.add_parser("add", help="create an account (TOTP URI printed)")
    officer_add.add_argument("--db", help="SQLAlchemy database URL")
    officer_add.add_argument("--username", required=True)
    officer_add.add_argument(
        "--role", required=True, choices=("officer", "supervisor", "centre_staff", "admin")
    )
    officer_add.add_argument("--centre", help="reporting centre code (centre staff only)")
    officer_add.set_defaults(func=cmd_officer_add)

    _add_centre_and_token_parsers(sub)
    _add_trust_parsers(sub)

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
