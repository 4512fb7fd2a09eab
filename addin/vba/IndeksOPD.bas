Attribute VB_Name = "IndeksOPD"
Option Explicit

' Macros of the Indeks Kinerja OPD workbook and add-in. Each one only hands over to Python via
' xlwings RunPython (from the xlwings add-in, referenced by this VBA project); all work and all
' messages to the user happen in indeks_opd.excel. Buttons on the sheets and the ribbon
' callbacks in RibbonIndeksOPD call these procedures.

Public Sub HitungIndeks()
    RunPython "import indeks_opd.excel as x; x.hitung_indeks_tombol()"
End Sub

Public Sub BuatTemplat()
    RunPython "import indeks_opd.excel as x; x.buat_templat_tombol()"
End Sub

Public Sub ImporTemplat()
    RunPython "import indeks_opd.excel as x; x.impor_templat_tombol()"
End Sub

Public Sub Rapor()
    RunPython "import indeks_opd.excel as x; x.rapor_tombol()"
End Sub
