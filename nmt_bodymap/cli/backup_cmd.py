"""``nmt-bodymap backup`` and ``restore``: copies of the practice database, optionally encrypted."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from nmt_bodymap.cli._common import CliError
from nmt_bodymap.cli._records import add_db_argument, store_errors

PASSPHRASE_ENV = "NMT_BODYMAP_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "backup",
        help="copy the practice database (optionally encrypted) while the app may be running",
        description="A consistent copy of the practice database. With --encrypt it is sealed with a passphrase "
        f"(AES-GCM, scrypt key) from ${PASSPHRASE_ENV} or asked on the terminal.",
    )
    b.add_argument("-o", "--output", required=True, metavar="FILE", help="the backup file to write (a new file)")
    b.add_argument("--encrypt", action="store_true", help="encrypt with a passphrase")
    add_db_argument(b)
    b.set_defaults(run=run_backup)

    r = sub.add_parser(
        "restore",
        help="replace the practice database with a backup",
        description="Replace the practice database with a backup (plain or encrypted). The current database is "
        "kept in the backups folder first. Add --yes to confirm.",
    )
    r.add_argument("backup", metavar="FILE", help="a backup made by 'nmt-bodymap backup' or the app")
    r.add_argument("--yes", action="store_true", help="confirm replacing the current records")
    add_db_argument(r)
    r.set_defaults(run=run_restore)


def passphrase(confirm: bool) -> str:
    """From $NMT_BODYMAP_PASSPHRASE, else asked on the terminal (twice when making a backup)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        if not value:
            raise CliError(f"${PASSPHRASE_ENV} is empty")
        return value
    if not sys.stdin.isatty():
        raise CliError(f"a passphrase is needed: set ${PASSPHRASE_ENV} or run in a terminal")
    import getpass

    first = getpass.getpass("Passphrase: ")
    if not first:
        raise CliError("the passphrase is empty")
    if confirm and getpass.getpass("Passphrase again: ") != first:
        raise CliError("the passphrases differ")
    return first


def run_backup(args: argparse.Namespace) -> int:
    from nmt_bodymap.store import backup, resolve

    with store_errors():
        db = resolve(args.db)
        secret = passphrase(confirm=True) if args.encrypt else None
        target = backup.make_backup(db, Path(args.output), secret)
    print(f"backed up {db.label} to {target}" + (" (encrypted)" if args.encrypt else ""))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from nmt_bodymap.store import backup, resolve
    from nmt_bodymap.store.sealed import is_sealed

    if not args.yes:
        raise CliError("restoring replaces the current records with the backup's: add --yes to confirm")
    source = Path(args.backup).expanduser()
    if not source.is_file():
        raise CliError(f"no such backup file: '{args.backup}'")
    with store_errors():
        db = resolve(args.db)
        secret = passphrase(confirm=False) if is_sealed(source) else None
        result = backup.restore(db, source, secret)
    kept = f"; the previous database is kept as {result.pre_restore}" if result.pre_restore else ""
    print(f"restored {db.label} from {source}{kept}")
    return 0
