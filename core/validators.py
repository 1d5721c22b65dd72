"""Validators shared by every app's models and forms (the base of the dependency stack: imports no app)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Bidirectional embeddings, overrides and isolates (Unicode TR9): a name holding one reverses the text around it
# wherever it is shown ("Trojan Source", CVE-2021-42574).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


@deconstructible
class SafeTextValidator:
    """Refuse control characters (a line break in a name ends up in an e-mail header or body) and bidi controls.

    `multiline=True` allows line breaks and tabs, for descriptions and notes.
    """

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        if not isinstance(value, str):
            return
        allowed = {"\n", "\r", "\t"} if self.multiline else set()
        for char in value:
            if char in BIDI_CONTROLS:
                raise ValidationError(
                    "Ce texte contient un caractère invisible de changement de sens d’écriture : retirez-le.",
                    code="bidi_control",
                )
            if char not in allowed and unicodedata.category(char) in ("Cc", "Cs"):
                raise ValidationError(
                    "Ce texte contient un caractère de contrôle (saut de ligne, tabulation…) : "
                    "écrivez-le sur une seule ligne, sans caractère spécial invisible."
                    if not self.multiline
                    else "Ce texte contient un caractère de contrôle invisible : retirez-le.",
                    code="control_character",
                )

    def __eq__(self, other):
        return isinstance(other, SafeTextValidator) and self.multiline == other.multiline


single_line_text = SafeTextValidator()
multiline_text = SafeTextValidator(multiline=True)
