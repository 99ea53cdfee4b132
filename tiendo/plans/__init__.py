"""Resolutions, their programs and steering boards, annual themes and plans."""
