"""Errors meant for users: the CLI prints them as one line and exits non-zero."""


class AlignError(Exception):
    """A problem with the user's input or set-up, not a bug in align."""


class InputError(AlignError):
    """An input file is missing, empty, binary, undecodable or in the wrong language."""


class ModelError(AlignError):
    """An encoder cannot be built or loaded."""
