"""Importing filled OPD templates into the master (``indeks-opd impor``, *Impor Templat*).

:mod:`.run` reads and checks the received files and plans the row replacements;
:mod:`.writer` applies them to the master file.
"""
