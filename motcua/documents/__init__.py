"""Printable one-stop-shop forms (Thông tư 03/2025/TT-VPCP, Phụ lục I): receipt, supplement request, refusal."""

import logging

# WeasyPrint reports each rendering step at INFO, already while importing (it parses its own stylesheets then); at the
# project's INFO level that is noise on every print. The package runs before forms.py imports WeasyPrint.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
