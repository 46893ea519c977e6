"""A throwaway PostgreSQL cluster for the tests: initdb and pg_ctl in a temporary folder, on loopback.

One cluster per test session (a few seconds to make), a fresh database per
test. Run as root, the server runs as the ``postgres`` user through
``runuser`` (PostgreSQL refuses to run as root); otherwise as the current
user. The cluster offers TLS with a certificate of its own test CA (for
``localhost`` and ``127.0.0.1``), trusts the superuser ``postgres`` on
loopback and asks every other role for its password (SCRAM), so the tests
can exercise passwords, ``.pgpass`` and the keychain for real.

Nothing here is a mock: it is the PostgreSQL the clinic runs, on a port of
its own, with ``fsync=off`` because the data dies with the test session
(commits stay synchronous, so stopping the server abruptly loses nothing
committed, as on a real server).
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

SUPERUSER = "postgres"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if (Path(p) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_tls_files(folder: Path) -> Path:
    """A test CA and a server certificate for localhost/127.0.0.1; returns the CA certificate's path."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "nmt-bodymap test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "server.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "server.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    os.chmod(folder / "server.key", 0o600)
    ca_path = folder / "ca.crt"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return ca_path


class Cluster:
    """One running throwaway cluster (see the module docstring)."""

    def __init__(self, bindir: Path, durable: bool = False) -> None:
        self.bindir = bindir
        self.durable = durable
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                pwd.getpwnam(SUPERUSER)
            except KeyError:
                raise RuntimeError(
                    f"run as root, the test server runs as the '{SUPERUSER}' user, which does not exist "
                    "(the Debian package 'postgresql' creates it)"
                ) from None
        # as root, somewhere the postgres user can reach whatever TMPDIR says
        self.root = Path(tempfile.mkdtemp(prefix="nmt-bodymap-pg-", dir="/tmp" if self.as_root else None))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.port = free_port()
        self.host = "127.0.0.1"
        self._counter = 0
        os.chmod(self.root, 0o755)  # the CA certificate below is read by the tests' own user
        self.sockets.mkdir()
        self.ca_cert = self.root / "ca.crt"
        if self.as_root:
            owner = pwd.getpwnam(SUPERUSER)
            for path in (self.root, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)

    # -- running the server's programs ---------------------------------------------

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync")
        tls = Path(tempfile.mkdtemp(prefix="tls-", dir=self.root))
        ca = _write_tls_files(tls)
        shutil.copyfile(ca, self.ca_cert)
        os.chmod(self.ca_cert, 0o644)
        for name in ("server.crt", "server.key"):
            shutil.copyfile(tls / name, self.data / name)
            os.chmod(self.data / name, 0o600)
            if self.as_root:
                owner = pwd.getpwnam(SUPERUSER)
                os.chown(self.data / name, owner.pw_uid, owner.pw_gid)
        shutil.rmtree(tls)
        (self.data / "pg_hba.conf").write_text(
            f"local all all trust\nhost all {SUPERUSER} 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                # fsync off: the data dies with the session, and an immediate stop (the fault tests) is a
                # process crash, which loses nothing the OS has; commits stay synchronous for that reason
                "\nssl = on\nfsync = off\nfull_page_writes = off\nmax_connections = 100\nshared_buffers = 32MB\n"
            )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses={self.host}"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def is_running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    # -- databases and roles ---------------------------------------------------------

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str | None = None) -> str:
        who = user if password is None else f"{user}:{password}"
        return f"postgresql://{who}@{self.host}:{self.port}/{database}"

    def admin(self, database: str = "postgres"):  # type: ignore[no-untyped-def]
        """A superuser connection (autocommit) for setting things up."""
        import psycopg

        return psycopg.connect(
            host=self.host, port=self.port, user=SUPERUSER, dbname=database, autocommit=True, sslmode="disable"
        )

    def new_database(self) -> str:
        self._counter += 1
        name = f"test_{os.getpid()}_{self._counter}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def psql(self, database: str, script: Path, user: str = SUPERUSER, **variables: str) -> str:
        """Run an SQL script with psql (ON_ERROR_STOP), as ``user``; its output."""
        args = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.sockets), "-p", str(self.port)]
        args += ["-U", user, "-d", database]
        for key, value in variables.items():
            args += ["-v", f"{key}={value}"]
        if self.as_root:  # the postgres user may not read the repository's copy
            staged = self.root / script.name
            shutil.copyfile(script, staged)
            os.chmod(staged, 0o644)
            script = staged
        args += ["-f", str(script)]
        return self._run(*args).stdout


def start_cluster(durable: bool = False) -> Cluster:
    """A new running cluster; ``durable`` keeps fsync on (the benchmarks' realistic server)."""
    bindir = binaries()
    if bindir is None:
        raise FileNotFoundError("no PostgreSQL binaries (/usr/lib/postgresql/*/bin)")
    cluster = Cluster(bindir, durable)
    try:
        cluster.init()
        cluster.start()
    except BaseException:
        cluster.destroy()
        raise
    deadline = time.monotonic() + 30
    while True:
        try:
            cluster.admin().close()
            return cluster
        except Exception:
            if time.monotonic() > deadline:
                cluster.destroy()
                raise
            time.sleep(0.1)
