"""Navigation of the funding app."""
