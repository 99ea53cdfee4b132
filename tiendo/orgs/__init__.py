"""Organisational units (đơn vị) as a tree that changes over time."""
