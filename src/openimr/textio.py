"""Reading a user's file as text: one place for the checks every stage needs.

Letters, case records and PDFs arrive from outside; each problem becomes an `InputError` that names
the file and says what is wrong in one line (binary data, a non-UTF-8 encoding, an encrypted,
corrupt or scanned PDF), never a traceback.
"""

from __future__ import annotations

import io
import logging

from openimr.errors import InputError


def decode_text(data: bytes, source: str, encoding: str | None = None) -> str:
    """UTF-8 text (a BOM is allowed), or the named `encoding` when the user gives one."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(source, f"cannot decode as {encoding} ({exc.__class__.__name__})") from None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise InputError(source, "not UTF-8 text (UTF-16; save it as UTF-8)")
    if b"\x00" in data[:65536]:
        raise InputError(source, "binary file, not text (NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp1252")
            # Only `letters parse` takes --encoding: the hint says so rather than offer it to every command.
            hint = ("; it reads as Windows-1252: convert it to UTF-8 (iconv -f cp1252 -t utf-8), or for "
                    "`letters parse` pass --encoding cp1252")
        except UnicodeDecodeError:
            pass
        raise InputError(
            source, f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}{hint})"
        ) from None
    if not text.strip():
        raise InputError(source, "empty file")
    return text


def pdf_text(data: bytes, source: str, page_separator: str = "\n") -> str:
    """The text layer of a PDF (pypdf), pages joined by `page_separator`."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

    # pypdf warns about damaged files through logging; the InputError below says it once, in one line.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    if not data.lstrip().startswith(b"%PDF-"):
        raise InputError(source, "corrupt PDF (no %PDF header)")
    encrypted = InputError(source, "encrypted PDF (a password is needed to read it)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Published letters are AES-encrypted with an empty password: open them as any reader does.
            try:
                ok = reader.decrypt("")
            except DependencyError:
                raise InputError(source, "encrypted PDF (AES): install the 'cryptography' package to read it "
                                         "(pip install 'pypdf[crypto]')") from None
            except Exception:  # noqa: BLE001 - unsupported encryption algorithms raise various errors
                ok = 0
            if not ok:
                raise encrypted
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except FileNotDecryptedError:
        raise encrypted from None
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, OSError, RecursionError) as exc:
        raise InputError(source, f"corrupt PDF ({exc.__class__.__name__}: {str(exc)[:80]})") from None
    text = page_separator.join(pages)
    if not text.strip():
        raise InputError(source, "PDF has no text layer (scanned PDF?): run OCR on it first")
    return text
