"""One lookup-key check (desk.models.dossier.lookup_key_matches) for the dossier
lookup, the rating pages and the feedback follow-up: four copies before."""

from desk.models.dossier import lookup_key_matches, new_lookup_key


def test_the_right_key_matches_and_anything_else_does_not():
    key = new_lookup_key()
    assert lookup_key_matches(key, key)
    assert not lookup_key_matches(key, key[:-1] + ("A" if key[-1] != "A" else "B"))
    assert not lookup_key_matches(key, "")
    # No record for the code typed: never a match, not even for the placeholder.
    assert not lookup_key_matches(None, "X" * 16)
    assert not lookup_key_matches(None, "")
