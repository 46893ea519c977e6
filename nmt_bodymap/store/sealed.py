"""Passphrase-encrypted files for backups that leave the computer (a USB stick).

Format, version 1 (all integers big-endian)::

    header (32 bytes)   magic b"NMTSEALD", u16 format version = 1, u8 KDF = 1 (scrypt),
                        u8 log2(N), u8 r, u8 p, u32 chunk size, 8-byte nonce prefix,
                        4 reserved zero bytes
    salt (16 bytes)     random, for scrypt
    key check (32)      AES-GCM of b"nmt-bodymap key!" (nonce: prefix + 0xFFFFFFFF + 0x02)
    chunks              AES-GCM of each chunk of the plaintext (nonce: prefix + u32 index +
                        0x01 for the last chunk, 0x00 for the others), each chunk size + 16 bytes

The key is scrypt(passphrase, salt) (N = 2^17, r = 8, p = 1: about 128 MB and
a few tenths of a second, so guessing is slow). The header and salt are
authenticated with every chunk, the last chunk is marked, so a truncated,
reordered or altered file is detected. A wrong passphrase fails the key
check and is reported as such; damage after it is reported as damage.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from nmt_bodymap.store.errors import StoreError

MAGIC = b"NMTSEALD"
FORMAT_VERSION = 1
KDF_SCRYPT = 1
LOG2_N, R, P = 17, 8, 1
CHUNK = 1 << 20
_HEADER = struct.Struct(">8sHBBBBI8s4s")
_SALT = 16
_CHECK_PLAIN = b"nmt-bodymap key!"
_TAG = 16


class WrongPassphrase(StoreError):
    """The passphrase does not open this file."""


class SealedDamaged(StoreError):
    """The encrypted file is truncated or altered."""


def is_sealed(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def _key(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    if not passphrase:
        raise StoreError("the passphrase is empty")
    return Scrypt(salt=salt, length=32, n=1 << log2_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, index: int, flag: int) -> bytes:
    return prefix + struct.pack(">IB", index, flag)


def seal(source: BinaryIO, target: BinaryIO, passphrase: str, *, log2_n: int = LOG2_N) -> None:
    """Encrypt ``source`` into ``target`` (both open binary files)."""
    salt, prefix = os.urandom(_SALT), os.urandom(7)
    header = _HEADER.pack(MAGIC, FORMAT_VERSION, KDF_SCRYPT, log2_n, R, P, CHUNK, prefix + b"\0", b"\0" * 4)
    aad = header + salt
    aes = AESGCM(_key(passphrase, salt, log2_n, R, P))
    target.write(aad)
    target.write(aes.encrypt(_nonce(prefix, 0xFFFFFFFF, 2), _CHECK_PLAIN, aad))
    index = 0
    chunk = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        target.write(aes.encrypt(_nonce(prefix, index, 1 if last else 0), chunk, aad))
        if last:
            return
        chunk, index = following, index + 1


def unseal(source: BinaryIO, target: BinaryIO, passphrase: str, name: str = "backup") -> None:
    """Decrypt ``source`` into ``target``; WrongPassphrase or SealedDamaged when it cannot.

    ``target`` may hold part of the plaintext when damage is found late: write
    it to a scratch file and use it only when this returns.
    """
    raw = source.read(_HEADER.size + _SALT)
    if len(raw) < _HEADER.size + _SALT:
        raise SealedDamaged(f"{name}: truncated encrypted backup")
    magic, version, kdf, log2_n, r, p, chunk_size, prefix8, _ = _HEADER.unpack(raw[: _HEADER.size])
    if magic != MAGIC:
        raise StoreError(f"{name}: not an encrypted nmt-bodymap backup")
    if version > FORMAT_VERSION:
        raise StoreError(f"{name}: made by a newer nmt-bodymap (encryption format {version}); update the app")
    if kdf != KDF_SCRYPT or not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16) or chunk_size > 1 << 26:
        raise SealedDamaged(f"{name}: the encrypted backup's header is damaged")
    salt, prefix = raw[_HEADER.size :], prefix8[:7]
    aes = AESGCM(_key(passphrase, salt, log2_n, r, p))
    try:
        aes.decrypt(_nonce(prefix, 0xFFFFFFFF, 2), source.read(len(_CHECK_PLAIN) + _TAG), raw)
    except InvalidTag:
        raise WrongPassphrase(f"{name}: wrong passphrase (or not this backup's)") from None
    index = 0
    sealed = source.read(chunk_size + _TAG)
    while True:
        following = source.read(chunk_size + _TAG)
        last = not following
        try:
            target.write(aes.decrypt(_nonce(prefix, index, 1 if last else 0), sealed, raw))
        except InvalidTag:
            raise SealedDamaged(f"{name}: the encrypted backup is damaged or truncated (part {index + 1})") from None
        if last:
            return
        sealed, index = following, index + 1
