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
