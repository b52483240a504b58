"""retrace finds where a text came from.

Give it a text under suspicion and candidate sources: it tells which sources
the text was derived from, which passages come from which passages of each
source (character offsets on both sides), and how each was reused
(``verbatim``, ``near-verbatim``, ``paraphrase``, ``summary``), with what the
rewrite changed (quotations, attributions, numbers, names).

This package is the retrace engine (Rust) compiled as a Python extension.
Every report is the object the ``retrace`` command line prints with
``--json`` (``compare``, ``check``), ``--jsonl`` (``scan``) or ``stats
--json``, as dicts and lists with exactly the same fields.

- :func:`compare` aligns a suspect with sources given as texts.
- :class:`Index` is a corpus index on disk (the directory ``retrace index``
  writes): ``add``, ``delete``, ``commit``, ``check``, ``check_many``,
  ``scan``, ``stats``, ``get``.
- :mod:`retrace.spark` checks a Spark DataFrame's texts against an index.
- Engine errors raise :class:`RetraceError`.
- :mod:`retrace.types` describes the reports as typed dicts.

Engine work runs with the GIL released, on all cores (see
:func:`set_threads`).
"""

from . import types
from ._retrace import Index, RetraceError, __version__, compare, set_threads

__all__ = ["Index", "RetraceError", "compare", "set_threads", "types", "__version__"]
