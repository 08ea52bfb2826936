"""HTML to PDF with WeasyPrint: A4 (set in each template's @page), tagged and PDF/UA-1."""

from __future__ import annotations

import weasyprint

# WeasyPrint 70 writes PDF/UA-1: a tagged PDF with a structure tree, the language (from
# <html lang>) and the title (from <title>, shown as the window title).
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, uncompressed: bool = False) -> bytes:
    """The PDF of `html`. `uncompressed` leaves the PDF's objects readable (for checking)."""
    return weasyprint.HTML(string=html).write_pdf(
        pdf_variant=PDF_VARIANT, uncompressed_pdf=uncompressed
    )
