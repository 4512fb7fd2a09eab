"""Importing filled OPD templates into the master (``indeks-opd impor``, *Impor Templat*).

:mod:`.run` reads and checks the received files and plans the row replacements;
:mod:`.writer` applies them to the master file; :mod:`.rows` is the plan of one sheet.
"""

from indeks_opd.impor.rows import RowReplacement
from indeks_opd.impor.run import ImportOutcome, ImportPlan, finish_import, import_templates, plan_import, prepare_import

__all__ = ["ImportOutcome", "ImportPlan", "RowReplacement", "finish_import", "import_templates", "plan_import",
           "prepare_import"]
