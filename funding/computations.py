"""COP indicators computed from funding (filled below)."""
