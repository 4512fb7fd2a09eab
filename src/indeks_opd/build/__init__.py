"""Build-time helpers: the VBA project binary, the add-in package and the generated UDF wrappers.

Nothing here runs inside Excel; these functions turn the text sources kept in the repository
(``addin/vba/*.bas``, ``addin/customUI14.xml``, the ``xw.func`` signatures) into the binary parts
that ``indeks-opd bangun`` puts into the shipped ``.xlsm`` and ``.xlam``.
"""
