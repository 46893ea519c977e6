"""Which practice database the app uses, and who the therapist at this computer is.

A part of :class:`~nmt_bodymap.ui.records_model.RecordsModel` (a mixin), kept
apart so the model stays about the records themselves.

* **Which database.** ``--db`` (the command line puts it in
  ``NMT_BODYMAP_DB``) or ``NMT_BODYMAP_DB`` win; else the path or server URL
  kept in the app's settings (Practice → Database…); else the default file
  in the app's data folder. A server URL is kept without its password, always.
* **A password typed for this run only.** When the therapist tests a server
  in the database dialog without keeping the password in the keychain, the
  password is held in memory for as long as the app runs (never written
  anywhere); next time it comes from the keychain or libpq's ``~/.pgpass``.
* **Who changes the records.** The name recorded as ``created_by`` and
  ``updated_by`` of each client and visit: the setting ``records/user``
  (Practice → Database…, "Your name"), else the computer's login name.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from nmt_bodymap.store import Database

DB_SETTING = "records/database"
USER_SETTING = "records/user"
ENV_VAR = "NMT_BODYMAP_DB"  # the store's own name for it (not imported here: the store loads lazily)
MAX_USER = 100


class DatabaseChoice:
    """The database setting, its override, the password of this run, and the user name."""

    settings: QSettings
    _passwords: dict[str, str]

    def _init_database_choice(self) -> None:
        self._passwords = {}

    # -- which database --------------------------------------------------------

    def database_value(self) -> tuple[str | None, str]:
        """The database as given, and where it was given: "environment", "settings" or "default"."""
        env = os.environ.get(ENV_VAR)
        if env:
            return env, "environment"
        saved = str(self.settings.value(DB_SETTING, "") or "")
        if saved:
            return saved, "settings"
        return None, "default"

    def database(self) -> Database:
        """The resolved database (StoreError when the value is not a usable path or URL)."""
        from nmt_bodymap.store import resolve

        return self.with_password(resolve(self.database_value()[0]))

    def with_password(self, db: Database) -> Database:
        """``db`` with the password typed for this run, when it has none of its own."""
        if not db.is_server or db.url.password is not None:
            return db
        password = self._passwords.get(db.without_password())
        if password is None:
            return db
        from nmt_bodymap.store import Database

        return Database(db.url.set(password=password), None)

    def keep_password_for_this_run(self, db: Database, password: str) -> None:
        if password:
            self._passwords[db.without_password()] = password
        else:
            self._passwords.pop(db.without_password(), None)

    def store_database_setting(self, value: str) -> None:
        """Keep ``value`` (a path or a server URL without password; empty: the default) in the settings."""
        if value:
            from nmt_bodymap.store import resolve

            db = resolve(value)  # refuse a bad value before keeping it
            self.settings.setValue(DB_SETTING, db.without_password())
        else:
            self.settings.remove(DB_SETTING)

    # -- who --------------------------------------------------------------------

    def user_name(self) -> str:
        """The name recorded with every change made here: the setting, else the login name."""
        saved = str(self.settings.value(USER_SETTING, "") or "").strip()
        if saved:
            return saved[:MAX_USER]
        from nmt_bodymap.store import default_user

        return default_user()

    def saved_user_name(self) -> str:
        return str(self.settings.value(USER_SETTING, "") or "").strip()

    def store_user_name(self, name: str) -> None:
        name = " ".join(name.split())[:MAX_USER]
        if name:
            self.settings.setValue(USER_SETTING, name)
        else:
            self.settings.remove(USER_SETTING)


__all__ = ["DB_SETTING", "ENV_VAR", "MAX_USER", "USER_SETTING", "DatabaseChoice"]
