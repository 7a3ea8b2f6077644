"""PDF reports in Chinese (reportlab): incident close report, weekly/monthly report, drill report."""
