"""LibreOffice as a clerk's or a committee member's program: save a workbook as it would,
convert it for printing. A private profile per call, on a private copy of the file."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is installed by `make test`")


def convert(source: Path, to: str, out_dir: Path) -> Path:
    """`to` is a LibreOffice filter name: xlsx, xls, ods, pdf. Returns the converted file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        copy = Path(work) / source.name
        shutil.copyfile(source, copy)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile",
                        "--convert-to", to, "--outdir", str(Path(work) / "out"), str(copy)],
                       check=True, capture_output=True, timeout=180)
        (converted,) = (Path(work) / "out").iterdir()
        dest = out_dir / converted.name
        shutil.move(converted, dest)
    return dest


def pdf_text(pdf: Path) -> str:
    """The text of a PDF with all whitespace removed: pdftotext spaces Thai words apart."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return "".join(text.split())
