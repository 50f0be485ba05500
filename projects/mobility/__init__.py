"""Mobility grants: a rolling scheme of short stays in other labs."""
