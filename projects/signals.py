"""Signals other apps listen to, so that this app needs nothing from them."""

from django.dispatch import Signal

# Sent once a status change is committed, with `change` (a SchemeStatusChange).
status_changed = Signal()
