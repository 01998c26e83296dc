"""The one error an unreadable notice raises, shared by every format's reader."""


class NoticeFormatError(ValueError):
    """The upload cannot be read as a privacy notice; the message says why, for a person."""
