"""Committed screenshots and leaflet PDFs are rewritten only when what they show changes (a clean checkout stays
clean after a test run)."""

from __future__ import annotations

from .conftest import save_artifact

PDF = (
    b"%PDF-1.4\n<</Creator (Chromium)\n/CreationDate (D:20261123125809+00'00')\n/ModDate (D:20261123125809+00'00')>>\n"
)


def test_an_unchanged_pdf_printed_later_is_not_rewritten(tmp_path):
    path = tmp_path / "leaflet.pdf"
    assert save_artifact(path, PDF)
    later = PDF.replace(b"125809", b"145426")
    assert not save_artifact(path, later)
    assert path.read_bytes() == PDF


def test_a_changed_pdf_or_image_is_rewritten(tmp_path):
    pdf = tmp_path / "leaflet.pdf"
    save_artifact(pdf, PDF)
    changed = PDF.replace(b"Chromium", b"Chromium 157")
    assert save_artifact(pdf, changed)
    assert pdf.read_bytes() == changed
    png = tmp_path / "page.png"
    assert save_artifact(png, b"\x89PNG one")
    assert not save_artifact(png, b"\x89PNG one")
    assert save_artifact(png, b"\x89PNG two")
    assert png.read_bytes() == b"\x89PNG two"
