"""Identifiers never reach the logs: passport numbers, long numbers and e-mail addresses.

Masked in logs (and in free text people or staff type into a request): passport-like numbers
(one or two letters and 6-9 digits, e.g. ``E12345678``), runs of eight or more digits (9-digit
passports, ID card and phone numbers, chat ids) and e-mail addresses. Reference numbers such
as ``CPU-2026-000123`` are kept: they identify a request, not a person.

Standard library only and Python 3.10-compatible: every process imports it, the Rasa server
(``engine/serving/server.py``, in the engine's environment) too.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

MASK = "[redacted]"
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])[A-Za-z]{1,2}\d{6,9}(?![A-Za-z0-9])"  # passport numbers
    # long digit runs: ID cards, phones, 9-digit passports; not the whole part of a decimal
    # number (Rasa logs event timestamps such as 1796012345.0428715)
    r"|(?<![\d.])\d{8,}[Xx]?(?![A-Za-z0-9])(?!\.\d)"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
)


def mask_identifiers(text: str) -> str:
    """``text`` with every passport number, long number and e-mail address replaced."""
    return _IDENTIFIER.sub(MASK, text)


class IdentifierMaskingFilter(logging.Filter):
    """Logging filter that rewrites each record's message (and traceback) masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask the record in place; never drops it."""
        _mask_record(record)
        return True


def _masked_argument(value: object) -> object:
    """A log argument with identifiers masked; left as it is (type too) when it has none."""
    text = str(value)
    masked = mask_identifiers(text)
    return value if masked == text else masked


def _mask_record(record: logging.LogRecord) -> None:
    """Mask the message, arguments and traceback text of ``record``.

    A record without identifiers keeps its arguments untouched, because some formatters
    (uvicorn's access log) rebuild their line from them; one with identifiers gets them
    masked one by one, or, if that still leaves one, becomes its masked finished message.
    """
    if getattr(record, "identifiers_masked", False):
        return
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a broken format: logging reports it, with masked text
        message = mask_identifiers(f"{record.msg} {record.args}")
        record.msg, record.args = message, None
    if mask_identifiers(message) != message:
        record.msg = mask_identifiers(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_masked_argument(value) for value in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {key: _masked_argument(value) for key, value in record.args.items()}
        try:
            masked_message: str | None = record.getMessage()
        except (TypeError, ValueError):
            masked_message = None
        if masked_message is None or mask_identifiers(masked_message) != masked_message:
            record.msg, record.args = mask_identifiers(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_identifiers(record.exc_text)
    record.identifiers_masked = True


def install_log_masking() -> None:
    """Mask every log record of the process, whichever logger or handler it goes through.

    Installs a log-record factory, so it also covers handlers that libraries (uvicorn,
    Rasa SDK) configure later. Calling it twice is harmless.
    """
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, "masks_identifiers", False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        _mask_record(record)
        return record

    masking_factory.masks_identifiers = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(masking_factory)
