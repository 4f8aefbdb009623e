"""The report: figures, tables, provenance, rendering."""
