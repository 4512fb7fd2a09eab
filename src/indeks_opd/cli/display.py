"""Terminal output shared by the subcommands: progress on stderr and the coloured ranking table.

Display only: every number and flag shown comes from the core's ``PeriodResult``; the texts
(title, banner, Keterangan) come from :mod:`indeks_opd.contract.output_sheets`, so the terminal says what the
Peringkat sheet says; numbers and rupiah are formatted by :mod:`indeks_opd.present.fmt`, as in the rapor.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported where something is shown: a quiet run (--diam, the Excel button) never loads it
    from rich.console import Console
    from rich.table import Table

from indeks_opd.contract.output_sheets import KETERANGAN_TERENDAH, KETERANGAN_UNRANKED, peringkat_title, provisional_banner
from indeks_opd.core import PeriodResult
from indeks_opd.present.fmt import KOSONG, angka, rupiah


def _text_colour(background: str) -> str:
    r, g, b = (int(background.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "white"


class Progress:
    """Progress messages on stderr (a spinner on a terminal); silent with ``--diam``."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.console = None
        if not quiet:
            from rich.console import Console

            self.console = Console(stderr=True, highlight=False)

    @contextlib.contextmanager
    def step(self, message: str) -> Iterator[None]:
        if self.console is None or not self.console.is_terminal:
            yield
            return
        with self.console.status(message):
            yield
        self.console.print(f"[green]✓[/] {message.rstrip('…. ')}")

    def say(self, message: str, stderr: bool = False) -> None:
        """A closing message for the user (stdout, or stderr when stdout carries JSON), unless quiet."""
        if not self.quiet:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True, stderr=stderr).print(message)


def ranking_table(result: PeriodResult) -> Table:
    """The ranking as a rich table: category colours, prizes in rupiah, lowest-N marked."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=peringkat_title(result), title_style="bold", header_style="bold")
    def fixed(width, **opsi):
        return {"no_wrap": True, "min_width": width, **opsi}

    for judul, opsi in (("Peringkat", fixed(9, justify="right")), ("OPD", fixed(11)),
                        ("Nama OPD", {"overflow": "ellipsis", "no_wrap": True, "max_width": 36}),
                        ("Indeks", fixed(6, justify="right")), ("Kategori", fixed(15)), ("Zona", fixed(6)),
                        ("Hadiah", fixed(12, justify="right")), ("Keterangan", fixed(10))):
        table.add_column(judul, **opsi)
    kelompok = None
    for r in result.hasil.itertuples(index=False):
        if r.kelompok is not None and r.kelompok != kelompok:  # peer groups: one block per group
            kelompok = r.kelompok
            table.add_section()
            table.add_row("", "", Text(f"Kelompok {kelompok}", style="bold"), *[""] * 5)
        kategori = Text(f" {r.kategori} ", style=f"{_text_colour(r.warna)} on {r.warna}")
        keterangan = Text(f"▼ {KETERANGAN_TERENDAH}", style="bold red") if r.terendah else Text("")
        table.add_row(str(int(r.peringkat)), r.singkatan or r.kode, r.nama, angka(r.indeks_bulat), kategori,
                      r.zona, rupiah(r.hadiah) if r.hadiah else KOSONG, keterangan)
    for r in result.unranked.itertuples(index=False):
        table.add_row(KOSONG, r.singkatan or r.kode, r.nama, KOSONG, "", "", "",
                      Text(KETERANGAN_UNRANKED, style="italic"))
    return table


def print_ranking(result: PeriodResult, console: Console | None = None) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal:  # a file or a pipe: wide enough for every column
            console = Console(highlight=False, width=140)
    banner = provisional_banner(result)
    if banner:
        console.print(Panel(Text(banner, style="bold"), border_style="red", title="SEMENTARA"))
    console.print(ranking_table(result))
