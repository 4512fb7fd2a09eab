"""Terminal output shared by the subcommands: progress on stderr and the coloured ranking table.

Display only: every number and flag shown comes from the core's ``PeriodResult``; the texts
(title, banner, Keterangan) come from :mod:`indeks_opd.contract.output_sheets`, so the terminal says what the
Peringkat sheet says; numbers and rupiah are formatted by :mod:`indeks_opd.present.fmt`, as in the rapor.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich is imported where something is shown: a quiet run (--diam, the Excel button) never loads it
    from rich.console import Console
    from rich.table import Table

from indeks_opd.contract.output_sheets import KETERANGAN_TERENDAH, KETERANGAN_UNRANKED, peringkat_title, provisional_banner
from indeks_opd.core import PeriodResult
from indeks_opd.present.fmt import KOSONG, angka, ink_on, rupiah


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


WIDTH_FOR_NAMES = 120
"""Terminal width from which the full Nama OPD column is shown (below it, the singkatan names the OPD)."""
WIDTH_FOR_ZONA = 90
"""Terminal width from which the Zona column is shown (below it, the category colour says the zone)."""


def ranking_table(result: PeriodResult, width: int = WIDTH_FOR_NAMES) -> Table:
    """The ranking as a rich table for a console ``width`` columns wide: category colours, prizes, lowest-N.

    The results (rank, index, category, prize, Terendah) always show in full; on a narrow
    terminal the names give way: the full name column is left out and names wrap, never cut.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    names, zona = width >= WIDTH_FOR_NAMES, width >= WIDTH_FOR_ZONA
    table = Table(title=peringkat_title(result), title_style="bold", header_style="bold",
                  box=box.HEAVY_HEAD if names else box.SIMPLE_HEAD, show_edge=names, pad_edge=names)
    table.add_column("Peringkat", justify="right", no_wrap=True)
    table.add_column("OPD", min_width=6, overflow="fold")
    if names:
        table.add_column("Nama OPD", ratio=1, min_width=12)
    table.add_column("Indeks", justify="right", no_wrap=True)
    table.add_column("Kategori", no_wrap=True)
    if zona:
        table.add_column("Zona", no_wrap=True)
    table.add_column("Hadiah", justify="right", no_wrap=True)
    table.add_column("Keterangan", min_width=10)

    def row(peringkat, r, indeks, kategori, hadiah, keterangan):
        table.add_row(peringkat, r.singkatan or r.kode, *([r.nama] if names else []), indeks, kategori,
                      *([getattr(r, "zona", "")] if zona else []), hadiah, keterangan)

    kelompok = None
    for r in result.hasil.itertuples(index=False):
        if r.kelompok is not None and r.kelompok != kelompok:  # peer groups: one block per group
            kelompok = r.kelompok
            table.add_section()
            label = [""] * len(table.columns)
            label[2 if names else 1] = Text(f"Kelompok {kelompok}", style="bold")
            table.add_row(*label)
        row(str(int(r.peringkat)), r, angka(r.indeks_bulat),
            Text(f" {r.kategori} ", style=f"{ink_on(r.warna)} on {r.warna}"),
            rupiah(r.hadiah) if r.hadiah else KOSONG,
            Text(f"▼ {KETERANGAN_TERENDAH}", style="bold red") if r.terendah else Text(""))
    for r in result.unranked.itertuples(index=False):
        row(KOSONG, r, KOSONG, "", "", Text(KETERANGAN_UNRANKED, style="italic"))
    return table


def print_ranking(result: PeriodResult, console: Console | None = None) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.text import Text

    if console is None:
        console = Console(highlight=False)
        if not console.is_terminal and "COLUMNS" not in os.environ:  # a file or a pipe: room for every column
            console = Console(highlight=False, width=140)
    banner = provisional_banner(result)
    if banner:
        console.print(Panel(Text(banner, style="bold"), border_style="red", title="SEMENTARA"))
    console.print(ranking_table(result, console.width))
