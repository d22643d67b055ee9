"""Signals the desk sends for the apps that build on it (dependencies point one way:
desk never imports them). Sent after the transaction commits, with ids only."""

from django.dispatch import Signal

# A result was handed to the citizen (9 -> 10). Keyword argument: dossier_id.
# surveys connects to it to email the rating link.
result_returned = Signal()
