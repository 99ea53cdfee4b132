"""The writers of a review report: one ``OfficialDocument`` (tiendo.reviews.document)
into the files people receive. ``docx.write_docx`` (decision 0019), ``pdf.write_pdf``
(decision 0020) and ``xlsx.write_xlsx``; ``charts.render_chart`` draws the PNGs the
first two embed (decision 0021), and ``layout`` holds what the DOCX and PDF share.

Pure functions of the document: no database, no request. Import the module you
need; this package imports nothing, so that the XLSX writer does not load matplotlib.
"""
