"""Audit log: who changed which domain record, when, and the values before and after."""
