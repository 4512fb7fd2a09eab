"""VBA wrappers for the xlwings UDFs, generated from the ``@xw.func`` functions of a Python module.

xlwings' "Import Functions" button writes the same kind of module into the workbook at run time,
which needs "Trust access to the VBA project object model". Generating it at build time instead
ships the wrappers inside ``vbaProject.bin``, so Bappeda users never touch that setting. Each
wrapper forwards its arguments to the xlwings COM server (``XLPy.CallUDF``, from the referenced
xlwings add-in) under the same module and function name the Python side registers.

``check_udf_wrappers`` compares shipped wrapper text with the Python functions and lists every
disagreement; ``ensure_udf_wrappers_match`` turns a non-empty list into a build failure.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import re
import sys
from dataclasses import dataclass
from types import ModuleType

from .vba_project import Module

#: Module name xlwings itself uses, so an accidental "Import Functions" click replaces it in place.
UDF_MODULE_NAME = "xlwings_udfs"

# Words VBA will not accept as a parameter name (the ones a Python argument could plausibly use).
_VBA_RESERVED = {
    "and", "as", "boolean", "byref", "byte", "byval", "call", "case", "const", "currency", "date",
    "declare", "dim", "do", "double", "each", "else", "elseif", "empty", "end", "enum", "eqv",
    "erase", "error", "event", "exit", "false", "for", "friend", "function", "get", "global",
    "gosub", "goto", "if", "imp", "implements", "in", "integer", "is", "let", "like", "long",
    "loop", "lset", "me", "mod", "new", "next", "not", "nothing", "null", "object", "on",
    "option", "optional", "or", "paramarray", "preserve", "private", "property", "public",
    "raiseevent", "redim", "rem", "resume", "return", "rset", "select", "set", "single",
    "static", "step", "stop", "string", "sub", "then", "to", "true", "type", "typeof", "until",
    "variant", "wend", "while", "with", "xor", "k", "argsarray",
}


class UdfWrapperMismatch(ValueError):
    """The VBA wrappers do not match the Python UDFs (the build must stop)."""

    def __init__(self, problems: list[str]):
        super().__init__("UDF wrappers disagree with the Python functions:\n- " + "\n- ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Param:
    name: str
    optional: bool = False
    vararg: bool = False


@dataclass(frozen=True)
class Wrapper:
    """What a wrapper says: its VBA signature and the call it forwards to Python."""

    kind: str  # "Function" or "Sub"
    name: str
    params: tuple[Param, ...]
    module: str
    target: str
    call_args: tuple[str, ...]  # expressions passed in Array(...), in Python argument order
    volatile: bool
    call_in_wizard: bool


def _module_name(module: ModuleType | str) -> str:
    return module if isinstance(module, str) else module.__name__


@dataclass
class _Udf:
    """What ``xw.func``/``xw.sub`` and ``xw.arg`` say about one function, recorded at import."""

    function: object
    sub: bool = False
    volatile: bool = False
    call_in_wizard: bool = True
    vba: dict | None = None


@contextlib.contextmanager
def _recording_decorators():
    """Import-time stand-ins for ``xw.func``, ``xw.sub`` and ``xw.arg`` that record their options.

    Outside Windows xlwings' own COM decorators are no-ops that keep nothing, yet the build runs on
    Linux; recording the options (and reading names, defaults and ``*args`` from the signature)
    gives the same facts on every platform.
    """
    import xlwings

    records: dict[int, _Udf] = {}
    arg_vba: dict[int, dict] = {}

    def decorator(sub: bool):
        def outer(f=None, **options):
            def inner(func):
                records[id(func)] = _Udf(func, sub=sub, volatile=bool(options.get("volatile", False)),
                                         call_in_wizard=bool(options.get("call_in_wizard", True)))
                return func
            return inner(f) if callable(f) else inner
        return outer

    def arg(name, *args, **options):
        def inner(func):
            if options.get("vba"):
                arg_vba.setdefault(id(func), {})[name] = options["vba"]
            return func
        return inner

    saved = {name: getattr(xlwings, name) for name in ("func", "sub", "arg")}
    xlwings.func, xlwings.sub, xlwings.arg = decorator(False), decorator(True), arg
    try:
        yield records, arg_vba
    finally:
        for name, value in saved.items():
            setattr(xlwings, name, value)


def collect_udfs(module: ModuleType | str) -> dict[str, _Udf]:
    """The ``xw.func``/``xw.sub`` functions defined in ``module`` (imported afresh), by name."""
    name = _module_name(module)
    parent_name, _, child = name.rpartition(".")
    parent = sys.modules.get(parent_name) if parent_name else None
    previous = sys.modules.pop(name, None)
    try:
        with _recording_decorators() as (records, arg_vba):
            imported = importlib.import_module(name)
    finally:
        # Leave the interpreter as it was: the recorded copy must not replace the real module.
        if previous is not None:
            sys.modules[name] = previous
        else:
            sys.modules.pop(name, None)
        parent = parent or (sys.modules.get(parent_name) if parent_name else None)
        if parent is not None:
            if previous is not None:
                setattr(parent, child, previous)
            elif getattr(parent, child, None) is imported:
                delattr(parent, child)
    found = {}
    for attr, value in sorted(vars(imported).items()):
        udf = records.get(id(value))
        if udf is not None and getattr(value, "__module__", None) == name:
            udf.vba = arg_vba.get(id(value), {})
            found[attr] = udf
    return found


def expected_wrappers(module: ModuleType | str) -> dict[str, Wrapper]:
    """The wrapper each ``xw.func``/``xw.sub`` function of ``module`` needs, keyed by upper-cased name."""
    module_name = _module_name(module)
    wrappers: dict[str, Wrapper] = {}
    for fname, udf in collect_udfs(module_name).items():
        params, call_args = [], []
        signature = inspect.signature(udf.function)
        for parameter in signature.parameters.values():
            expression = udf.vba.get(parameter.name)
            if parameter.name == "caller" and not expression:
                expression = "Nothing"  # xlwings substitutes the calling range
            if parameter.kind in (parameter.KEYWORD_ONLY, parameter.VAR_KEYWORD):
                raise ValueError(f"{fname}: keyword-only argument {parameter.name!r} cannot come from Excel")
            if expression:
                call_args.append(expression)
                continue
            if parameter.name.lower() in _VBA_RESERVED or not re.fullmatch(r"[A-Za-z]\w*", parameter.name):
                raise ValueError(f"{fname}: argument name {parameter.name!r} cannot be a VBA parameter")
            vararg = parameter.kind == parameter.VAR_POSITIONAL
            params.append(Param(parameter.name, optional=parameter.default is not parameter.empty, vararg=vararg))
            call_args.append(parameter.name)
        if any(p.vararg for p in params) and any(p.optional for p in params):
            raise ValueError(f"{fname}: xlwings does not allow both optional and *args arguments")
        wrapper = Wrapper(
            kind="Sub" if udf.sub else "Function", name=fname, params=tuple(params),
            module=module_name, target=fname, call_args=tuple(call_args),
            volatile=udf.volatile, call_in_wizard=udf.call_in_wizard,
        )
        if wrapper.name.upper() in wrappers:
            raise ValueError(f"two UDFs named {wrapper.name!r} (Excel names ignore case)")
        wrappers[wrapper.name.upper()] = wrapper
    return wrappers


def _signature(wrapper: Wrapper) -> str:
    parts = []
    for p in wrapper.params:
        prefix = "Optional " if p.optional else "ParamArray " if p.vararg else ""
        parts.append(prefix + p.name + ("()" if p.vararg else ""))
    return f"{wrapper.kind} {wrapper.name}({', '.join(parts)})"


def _wrapper_text(wrapper: Wrapper) -> list[str]:
    lines = [_signature(wrapper)]
    body = []
    if wrapper.kind == "Function":
        if not wrapper.call_in_wizard:  # the Function Wizard disables the Standard toolbar
            body.append('If Not Application.CommandBars("Standard").Controls(1).Enabled Then Exit Function')
        if wrapper.volatile:
            body.append("Application.Volatile")
    vararg = next((p.name for p in wrapper.params if p.vararg), None)
    if vararg:
        fixed = [a for a in wrapper.call_args if a != vararg]
        body += [
            "Dim argsArray() As Variant, k As Long",
            f"argsArray = Array({', '.join(fixed)})",
            f"ReDim Preserve argsArray(0 To {len(fixed)} + UBound({vararg}) - LBound({vararg}))",
            f"For k = LBound({vararg}) To UBound({vararg})",
            f"    argsArray({len(fixed)} + k - LBound({vararg})) = {vararg}(k)",
            "Next k",
        ]
        arguments = "argsArray"
    else:
        arguments = f"Array({', '.join(wrapper.call_args)})"
    call = f'XLPy.CallUDF("{wrapper.module}", "{wrapper.target}", {arguments}, ThisWorkbook, Application.Caller)'
    if wrapper.kind == "Sub":
        body.append("XLPy.CallUDF " + call[len("XLPy.CallUDF("):-1])
    else:
        body += [
            "If TypeOf Application.Caller Is Range Then On Error GoTo failed",
            f"{wrapper.name} = {call}",
            "Exit Function",
        ]
    lines += ["    " + line for line in body]
    if wrapper.kind == "Function":
        lines += ["failed:", f"    {wrapper.name} = Err.Description"]
    lines.append(f"End {wrapper.kind}")
    return lines


def generate_udf_source(module: ModuleType | str) -> str:
    """Text of the ``xlwings_udfs`` standard module for all UDFs of ``module`` (CRLF line ends)."""
    module_name = _module_name(module)
    lines = [
        f'Attribute VB_Name = "{UDF_MODULE_NAME}"',
        "Option Explicit",
        "",
        f"' Generated by 'indeks-opd bangun' from the xw.func functions of {module_name}.",
        "' Do not edit: the build regenerates this module and checks it against the Python code.",
    ]
    for wrapper in expected_wrappers(module).values():
        lines += [""] + _wrapper_text(wrapper)
    return "\r\n".join(lines) + "\r\n"


def udf_module(module: ModuleType | str) -> Module:
    """The generated wrapper module, ready for ``VbaProject(modules=...)``; checked before returning."""
    source = generate_udf_source(module)
    ensure_udf_wrappers_match(source, module)
    return Module(UDF_MODULE_NAME, source)


# --- reading wrappers back ------------------------------------------------------------------

_PROC = re.compile(r"^(?:Public\s+)?(Function|Sub)\s+(\w+)\s*\((.*)\)(?:\s+As\s+\w+)?$", re.IGNORECASE)
_CALL = re.compile(r'XLPy\.CallUDF\(?\s*"([^"]*)"\s*,\s*"([^"]*)"\s*,\s*(.*?)\s*,\s*ThisWorkbook', re.IGNORECASE)
_ARRAY = re.compile(r"^Array\((.*)\)$", re.IGNORECASE)


def _split_args(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(",") if a.strip())


def parse_wrappers(vba_source: str) -> dict[str, Wrapper]:
    """The wrappers found in VBA text, keyed by upper-cased procedure name."""
    found: dict[str, Wrapper] = {}
    current: dict | None = None
    for raw in vba_source.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        match = _PROC.match(line)
        if match:
            params = []
            for part in _split_args(match.group(3)):
                words = part.split()
                name = words[-1].removesuffix("()")
                params.append(Param(name, optional=words[0].lower() == "optional",
                                    vararg=words[0].lower() == "paramarray"))
            current = {"kind": match.group(1).capitalize(), "name": match.group(2), "params": tuple(params),
                       "module": "", "target": "", "call_args": (), "volatile": False, "call_in_wizard": True}
            continue
        if current is None:
            continue
        if re.match(r"^End\s+(Function|Sub)\b", line, re.IGNORECASE):
            found[current["name"].upper()] = Wrapper(**current)
            current = None
        elif line.lower() == "application.volatile":
            current["volatile"] = True
        elif "commandbars(" in line.lower() and "exit function" in line.lower():
            current["call_in_wizard"] = False
        elif line.lower().startswith("argsarray = array("):
            current["call_args"] = _split_args(line[len("argsArray = Array("):-1])
        elif (call := _CALL.search(line)):
            current["module"], current["target"] = call.group(1), call.group(2)
            array = _ARRAY.match(call.group(3))
            if array:
                current["call_args"] = _split_args(array.group(1))
            else:  # ParamArray form: fixed arguments then the ParamArray itself
                vararg = next((p.name for p in current["params"] if p.vararg), "")
                current["call_args"] = current["call_args"] + (vararg,)
    return found


def check_udf_wrappers(vba_source: str, module: ModuleType | str) -> list[str]:
    """Every disagreement between the wrappers in ``vba_source`` and the UDFs of ``module``."""
    expected = expected_wrappers(module)
    actual = parse_wrappers(vba_source)
    problems = []
    for key, want in expected.items():
        have = actual.get(key)
        if have is None:
            problems.append(f"{want.name}: no VBA wrapper for this Python UDF")
            continue
        for label, a, b in (
            ("kind", have.kind, want.kind),
            ("name", have.name, want.name),
            ("parameters", _signature(have), _signature(want)),
            ("Python module called", have.module, want.module),
            ("Python function called", have.target, want.target),
            ("arguments passed", have.call_args, want.call_args),
            ("volatile", have.volatile, want.volatile),
            ("call_in_wizard", have.call_in_wizard, want.call_in_wizard),
        ):
            if a != b:
                problems.append(f"{want.name}: {label} differ (VBA {a!r}, Python {b!r})")
    for key, have in actual.items():
        if key not in expected and have.module:
            problems.append(f"{have.name}: VBA wrapper without a Python UDF in {_module_name(module)}")
    return problems


def ensure_udf_wrappers_match(vba_source: str, module: ModuleType | str) -> None:
    """Raise ``UdfWrapperMismatch`` when the wrappers and the Python UDFs disagree."""
    problems = check_udf_wrappers(vba_source, module)
    if problems:
        raise UdfWrapperMismatch(problems)
