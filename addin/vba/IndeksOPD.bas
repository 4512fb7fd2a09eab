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

' The quarter's workflow (docs/alur.md): Status, Verifikasi and Perlu Perbaikan (selected rows of
' the Status sheet), Kunci Periode and Buka Periode. The note or reason typed in the InputBox
' reaches Python as hex UTF-16 code units, so no character of it can end the RunPython code string.

Public Sub StatusPeriode()
    RunPython "import indeks_opd.excel as x; x.status_periode_tombol()"
End Sub

Public Sub VerifikasiOPD()
    RunPython "import indeks_opd.excel as x; x.verifikasi_opd_tombol()"
End Sub

Public Sub PerluPerbaikan()
    Dim catatan As String
    catatan = InputBox("Catatan untuk OPD pada baris sheet Status yang dipilih: apa yang harus diperbaiki?", _
                       "Perlu Perbaikan")
    If Len(Trim$(catatan)) = 0 Then Exit Sub
    RunPython "import indeks_opd.excel as x; x.perlu_perbaikan_tombol('" & HexUtf16(catatan) & "')"
End Sub

Public Sub KunciPeriode()
    Dim alasan As String
    alasan = InputBox("Alasan mengunci periode aktif (mis. Rakorpok TW II selesai):", "Kunci Periode")
    If Len(Trim$(alasan)) = 0 Then Exit Sub
    RunPython "import indeks_opd.excel as x; x.kunci_periode_tombol('" & HexUtf16(alasan) & "')"
End Sub

Public Sub BukaPeriode()
    Dim alasan As String
    alasan = InputBox("Alasan membuka kunci periode aktif (dicatat di sheet Log):", "Buka Periode")
    If Len(Trim$(alasan)) = 0 Then Exit Sub
    RunPython "import indeks_opd.excel as x; x.buka_periode_tombol('" & HexUtf16(alasan) & "')"
End Sub

Private Function HexUtf16(ByVal teks As String) As String
    Dim i As Long, hasil As String
    For i = 1 To Len(teks)
        hasil = hasil & Right$("000" & Hex$(AscW(Mid$(teks, i, 1)) And &HFFFF&), 4)
    Next i
    HexUtf16 = hasil
End Function
