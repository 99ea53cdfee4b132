"""Indicators, their targets and values: one fact table, rollups in SQL, computed status."""
