Attribute VB_Name = "RibbonIndeksOPD"
Option Explicit

' Callbacks of the "Indeks OPD" ribbon tab (addin/customUI14.xml). Excel calls onAction
' procedures with the pressed control; each one runs the macro of the same name in IndeksOPD,
' which acts on the active workbook.

Public Sub RibbonHitungIndeks(control As IRibbonControl)
    HitungIndeks
End Sub

Public Sub RibbonBuatTemplat(control As IRibbonControl)
    BuatTemplat
End Sub

Public Sub RibbonImporTemplat(control As IRibbonControl)
    ImporTemplat
End Sub

Public Sub RibbonRapor(control As IRibbonControl)
    Rapor
End Sub

Public Sub RibbonStatusPeriode(control As IRibbonControl)
    StatusPeriode
End Sub

Public Sub RibbonVerifikasiOPD(control As IRibbonControl)
    VerifikasiOPD
End Sub

Public Sub RibbonPerluPerbaikan(control As IRibbonControl)
    PerluPerbaikan
End Sub

Public Sub RibbonKunciPeriode(control As IRibbonControl)
    KunciPeriode
End Sub

Public Sub RibbonBukaPeriode(control As IRibbonControl)
    BukaPeriode
End Sub
