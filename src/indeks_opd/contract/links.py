"""Evidence links (*bukti dukung*) as people type them: accepted forms, refusals, and the link target.

docs/kontrak.md ("Bukti Dukung"): a cell of ``Indikator.Bukti Dukung`` holds one link, either

- a web address ``http://…`` or ``https://…`` (a host, no user name or password in it), or
- a path of a file on the office network: a UNC path ``\\\\server\\folder\\berkas.pdf`` whose server
  is a name of the local network (one word such as ``bappeda-fs01``, a name ending in ``.local``,
  ``.lan`` or ``.internal``, or a private IPv4 address), or a path on a drive letter ``S:\\…``.

Everything else is refused with the reason, never repaired: other schemes (``javascript:``,
``data:``, ``vbscript:``, ``mailto:`` …), ``file:`` URLs (write the path itself), servers outside the
office network (opening ``\\\\host\\…`` sends the user's Windows credentials to that host), text
that looks like a formula, several links or words around a link, control and invisible
formatting characters (a right-to-left override can disguise a link), and links longer than
:data:`MAX_LENGTH`. Spaces and non-ASCII letters are allowed in paths, not in web addresses
(a browser copies them as ``%20``).

Every reader returns ``(value, pesan)`` like :mod:`indeks_opd.contract.numbers`.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import quote, urlsplit

from indeks_opd.contract.numbers import looks_like_formula, read_text

MAX_LENGTH = 2000
"""Longest link accepted: Excel keeps at most 2,079 characters of a hyperlink's address."""

CONTOH = r"alamat https://… atau jalur berkas di server kantor (\\server\folder\berkas.pdf)"
_LOCAL_SUFFIXES = (".local", ".lan", ".internal")
_HOST_LABEL = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")
_PATH_FORBIDDEN = set('<>"|?*')
_SECOND_LINK = re.compile(r"[,;|]https?://", re.IGNORECASE)


def shown(text: str, limit: int = 60) -> str:
    """``text`` as a message may quote it: control and invisible characters spelled out, cut at ``limit``."""
    out = "".join(c if unicodedata.category(c) not in ("Cc", "Cf") else f"\\u{ord(c):04x}" for c in text)
    return f"'{out[:limit]}…'" if len(out) > limit else f"'{out}'"


def read_link(value) -> tuple[str | None, str | None]:
    """One Bukti Dukung cell: ``(link, None)``, ``(None, None)`` when blank, or ``(None, reason)``."""
    if value is not None and not isinstance(value, str):
        text = read_text(value)
        return (None, None) if text is None else (None, f"{shown(text)} bukan tautan; isi {CONTOH}")
    text = None if value is None else value.strip()  # inner spaces and line breaks are kept: they are refused
    if not text:
        return None, None
    return (text, None) if (error := _link_error(text)) is None else (None, f"{shown(text)} {error}")


def _link_error(text: str) -> str | None:
    """Why ``text`` is not an accepted link, or None."""
    if looks_like_formula(text):
        return f"tampak seperti rumus; tidak diterima sebagai tautan. Isi {CONTOH}"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return (f"berisi karakter kendali atau karakter tak terlihat (mis. baris baru, pembalik arah teks). "
                f"Ketik ulang tautannya: satu sel hanya satu tautan, {CONTOH}")
    if len(text) > MAX_LENGTH:
        return (f"terlalu panjang ({len(text)} karakter; paling banyak {MAX_LENGTH}). Pakai tautan yang lebih "
                "pendek (mis. tautan bagikan folder) atau simpan berkasnya di server kantor")
    if text.startswith("\\\\"):
        return _unc_error(text)
    if _DRIVE.match(text):
        return _path_error(text[3:])
    scheme = _SCHEME.match(text)
    if scheme is None:
        if re.match(r"^(www\.|[\w-]+\.[\w.-]+/)", text) and " " not in text:
            return "tidak diawali http:// atau https://. Tulis alamat lengkapnya (mis. https://" + text[:40] + ")"
        return (f"bukan tautan. Isi {CONTOH}; keterangan ditulis di kolom lain, jalur berkas harus lengkap "
                r"(\\server\… atau huruf drive S:\…)")
    nama = scheme.group(1).lower()
    if nama == "file":
        return (r"adalah URL file:. Tulis jalurnya langsung, mis. \\server\folder\berkas.pdf (seperti di "
                "File Explorer)")
    if nama not in ("http", "https"):
        return f"memakai skema '{nama}:' yang tidak diizinkan. Isi {CONTOH}"
    return _web_error(text)


def _web_error(text: str) -> str | None:
    if any(c.isspace() for c in text):
        return ("berisi spasi. Satu sel hanya satu tautan tanpa keterangan; salin alamatnya dari peramban "
                "(spasi di alamat tertulis %20)")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 — raises on a port that is not a number
    except ValueError:
        return f"bukan alamat web yang sah. Salin alamatnya dari peramban; isi {CONTOH}"
    if not parts.hostname or not parts.netloc.strip("[]:"):
        return f"tidak menyebut nama situs setelah {parts.scheme}://. Salin alamat lengkapnya dari peramban"
    if "@" in parts.netloc:
        return ("berisi nama pengguna atau kata sandi sebelum '@' (atau menyamarkan situs tujuannya). Hapus "
                "bagian itu; tautan bukti dukung tidak boleh memuat kata sandi")
    if _SECOND_LINK.search(text):
        return "berisi lebih dari satu tautan. Satu sel hanya satu tautan; tautan lain di baris indikatornya sendiri"
    return None


def _unc_error(text: str) -> str | None:
    parts = text[2:].split("\\")
    server, share = parts[0], parts[1] if len(parts) > 1 else ""
    if server in ("?", "."):
        return r"adalah jalur perangkat Windows (\\?\ atau \\.\). Tulis jalur biasa \\server\folder\berkas"
    if not server or not share:
        return r"tidak lengkap. Tulis \\server\folder\berkas (nama server dan folder bersama)"
    if not _office_host(server):
        return (f"menunjuk server '{server}' yang bukan server jaringan kantor: membuka jalur itu mengirim "
                "identitas Windows pengguna ke server tersebut. Simpan berkasnya di server kantor (nama server "
                r"satu kata, mis. \\bappeda-fs01\…) atau unggah dan pakai alamat https://…")
    return _path_error("\\".join(parts[1:]))


def _office_host(server: str) -> bool:
    """A server of the office network: one-word name, ``.local``/``.lan``/``.internal`` name or private IPv4."""
    try:
        ip = ipaddress.ip_address(server)
    except ValueError:
        labels = server.split(".")
        single = len(labels) == 1 or server.lower().endswith(_LOCAL_SUFFIXES)
        return single and all(_HOST_LABEL.match(label) for label in labels)
    return ip.version == 4 and ip.is_private and not ip.is_loopback


def _path_error(path: str) -> str | None:
    """A path after its server and share or its drive: Windows' forbidden characters refused."""
    bad = sorted({c for c in path if c in _PATH_FORBIDDEN or c == ":"})
    if bad:
        return (f"berisi karakter {' '.join(bad)} yang tidak boleh ada di jalur berkas Windows. "
                "Salin jalurnya dari File Explorer; satu sel hanya satu jalur")
    return None


def link_target(link: str) -> str:
    """The address a hyperlink opens for an accepted ``link`` (``read_link``): a web address as it
    is; a path as its ``file:`` URI (RFC 8089: ``\\\\srv\\a b\\c.pdf`` → ``file://srv/a%20b/c.pdf``,
    ``S:\\x.pdf`` → ``file:///S:/x.pdf``), non-ASCII letters UTF-8 percent-encoded."""
    if link.startswith("\\\\"):
        return "file://" + quote(link[2:].replace("\\", "/"), safe="/")
    if _DRIVE.match(link):
        return "file:///" + link[:2] + quote(link[2:].replace("\\", "/"), safe="/")
    return link
