"""Hooks the desk runs for the apps that build on it (procedures/extensions.py;
dependencies point one way: the desk never imports them). Run after the transaction
commits, with ids only."""

from procedures.extensions import ExtensionPoint, Hook

# A result was handed to the citizen (9 -> 10): each hook is called with the
# dossier's id (desk.services.return_result, after commit). surveys adds the
# rating invitation email.
ON_RESULT_RETURNED: ExtensionPoint[Hook] = ExtensionPoint(
    "desk.on_result_returned", "Called with dossier_id after a return commits"
)
