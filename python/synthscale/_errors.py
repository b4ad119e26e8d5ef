"""The exceptions and warnings of synthscale.

Every exception the package raises on purpose derives from :class:`SynthscaleError` and
from the matching builtin, so ``except ValueError`` and ``except OSError`` keep working:

=========================  ==========================================  ======================
class                      raised when                                 also a
=========================  ==========================================  ======================
``InvalidArgumentError``   an option or argument is wrong              ``ValueError``
``InvalidDataError``       the data, a schema or a model file is bad   ``ValueError``
``NotFittedError``         a synthesizer is used before ``fit``        ``ValueError``,
                                                                       ``AttributeError``
``SynthscaleIOError``      the file system refused                     ``OSError``
``OutputExistsError``      an output exists and overwrite is off       ``FileExistsError``
``InternalError``          a bug in synthscale: please report it       ``RuntimeError``
=========================  ==========================================  ======================

``NotFittedError`` is both a ``ValueError`` and an ``AttributeError``, as in
scikit-learn, so code written for scikit-learn's ``NotFittedError`` catches it.

Errors from the C++ library carry its location: ``file``, ``line``, ``column``, ``row``
(1-based, 0 when unknown) and ``field`` (a column name, "" when unknown).

This module must not import ``synthscale._core``: the compiled module imports it to raise.
"""

from __future__ import annotations

__all__ = [
    "DataDependentDomainWarning",
    "InternalError",
    "InvalidArgumentError",
    "InvalidDataError",
    "NotFittedError",
    "OutputExistsError",
    "SynthscaleError",
    "SynthscaleIOError",
    "SynthscaleWarning",
]


class SynthscaleError(Exception):
    """Base class of every exception synthscale raises on purpose."""

    #: the error kind as the C++ library names it (``"invalid_data"``, ``"io"``, ...)
    code: str = "error"
    file: str = ""
    line: int = 0
    column: int = 0
    row: int = 0
    field: str = ""


class InvalidArgumentError(SynthscaleError, ValueError):
    """An option or argument is wrong (e.g. ``n_rows=-1``, an unknown parameter)."""

    code = "invalid_argument"


class InvalidDataError(SynthscaleError, ValueError):
    """The data, a schema or a model file is malformed or unsupported."""

    code = "invalid_data"


class NotFittedError(SynthscaleError, ValueError, AttributeError):
    """A synthesizer was used before ``fit`` (or ``load``)."""

    code = "not_fitted"


class SynthscaleIOError(SynthscaleError, OSError):
    """The file system refused: missing, unreadable, not a file, not writable.

    ``filename`` is the file concerned (as for ``OSError``); ``errno`` is None.
    """

    code = "io"

    def __str__(self) -> str:
        # OSError formats itself as "[Errno None] None: 'file'" once filename is set.
        return str(self.args[0]) if self.args else ""


class OutputExistsError(SynthscaleIOError, FileExistsError):
    """An output file exists and overwriting was not asked for."""

    code = "already_exists"


class InternalError(SynthscaleError, RuntimeError):
    """A bug in synthscale: please report it with the message."""

    code = "internal"


class SynthscaleWarning(UserWarning):
    """Base class of synthscale's warnings."""


class DataDependentDomainWarning(SynthscaleWarning):
    """A schema's domains (categories, bounds) were read from the data.

    Such a domain is not differentially private: it reveals, for example, the rarest
    category and the extreme values. A differentially private fit needs a public schema.
    """


_BY_CODE: dict[str, type[SynthscaleError]] = {
    cls.code: cls
    for cls in (InvalidArgumentError, InvalidDataError, NotFittedError, SynthscaleIOError,
                OutputExistsError, InternalError)
}


def _from_status(code: str, message: str, where: str = "", file: str = "", line: int = 0,
                 column: int = 0, row: int = 0, field: str = "") -> SynthscaleError:
    """Build the exception for a failed C++ Status (called by the compiled module)."""
    cls = _BY_CODE.get(code, InternalError)
    # "file:line:column (row r, field 'f'): message", as the CLI prints it, except that a
    # location that is only the field the message already names adds nothing.
    redundant = not file and not line and not row and f"'{field}'" in message
    error = cls(f"{where}: {message}" if where and not redundant else message)
    error.file, error.line, error.column, error.row, error.field = file, line, column, row, field
    if isinstance(error, OSError) and file:
        error.filename = file
    return error
