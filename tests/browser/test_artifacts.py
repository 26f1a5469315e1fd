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


def _png(size=(40, 20), changes=()) -> bytes:
    """A white PNG with some pixels set to other colours."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, (255, 255, 255))
    for xy, colour in changes:
        image.putpixel(xy, colour)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_screenshot_that_differs_only_by_anti_aliasing_is_not_rewritten(tmp_path):
    path = tmp_path / "page.png"
    original = _png(changes=[((5, 5), (0, 94, 184))])
    assert save_artifact(path, original)
    # Seen in CI: three pixels at a rounded corner, one or two levels apart.
    aliased = _png(changes=[((5, 5), (0, 94, 184)), ((10, 15), (254, 255, 255)), ((11, 16), (255, 253, 255))])
    assert aliased != original
    assert not save_artifact(path, aliased)
    assert path.read_bytes() == original


def test_a_screenshot_that_shows_something_different_is_rewritten(tmp_path):
    path = tmp_path / "page.png"
    save_artifact(path, _png())
    # Three levels in one pixel is already a change; so is a new mark, or a different size.
    for changed in (
        _png(changes=[((10, 10), (252, 255, 255))]),
        _png(changes=[((x, 8), (33, 43, 50)) for x in range(10, 30)]),
        _png(size=(40, 21)),
    ):
        assert save_artifact(path, changed)
        assert path.read_bytes() == changed
