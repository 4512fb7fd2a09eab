"""A small xlwings UDF module for the wrapper-generator tests (not part of the product)."""

import xlwings as xw


@xw.func
def TAMBAH(a, b):
    return a + b


@xw.func(volatile=True)
@xw.arg("nilai", doc="angka")
def SKALA(nilai, faktor=1.0):
    return nilai * faktor


@xw.func(call_in_wizard=False)
def JUMLAHKAN(awal, *sisa):
    return awal + sum(sisa)


@xw.func
@xw.arg("caller", vba="Application.Caller")
def ALAMAT(caller):
    return str(caller)


def bukan_udf(x):
    return x
