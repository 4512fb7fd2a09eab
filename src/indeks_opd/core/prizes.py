"""Stage *prizes*: cash prizes for the top ranks, shared on ties, never above the pool.

docs/metode.md ("Prizes"). OPDs tied on a rank occupy the positions rank … rank + k − 1 and share
equally the sum of the prizes of those positions (two OPDs tied at rank 1 get
(5 + 3) / 2 = 4 juta each; the next OPD is rank 3). Shares are whole rupiah, rounded down,
so the total paid never exceeds the pool; the rupiah left over is not paid.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from indeks_opd.core.parameter import Hadiah


def occupied_positions(peringkat: int, jumlah_seri: int) -> range:
    """The positions ``jumlah_seri`` OPDs tied at rank ``peringkat`` occupy: peringkat … peringkat + k − 1."""
    return range(peringkat, peringkat + jumlah_seri)


def allocate_prizes(peringkat, hadiah: tuple[Hadiah, ...]) -> np.ndarray:
    """Prize in whole rupiah for each competition rank (0 = not ranked)."""
    ranks = np.asarray(peringkat, dtype=int).ravel()
    per_position = {h.peringkat: h.jumlah for h in hadiah}
    sizes = Counter(int(r) for r in ranks if r > 0)
    shares = {}
    for r, k in sizes.items():
        pool = sum(per_position.get(pos, 0) for pos in occupied_positions(r, k))
        shares[r] = pool // k
    return np.array([shares.get(int(r), 0) if r > 0 else 0 for r in ranks], dtype=np.int64)
