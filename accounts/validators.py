"""The portal's own password rule, next to Django's validators (AUTH_PASSWORD_VALIDATORS)."""

import re
import unicodedata

from django.core.exceptions import ValidationError

MESSAGE = (
    "Ce mot de passe reprend votre nom ou votre adresse électronique, avec seulement des chiffres ou des signes "
    "en plus : choisissez-en un sans rapport avec votre identité."
)


def _letters(text: str) -> str:
    """Lower-case letters only, accents removed: « Jean.Dupont2024! » → « jeandupont »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalpha() and not unicodedata.combining(char))


class NotBasedOnIdentityValidator:
    """Refuse a password whose letters are only pieces of the person's names or e-mail's local part.

    « jean.dupont2024! » for jean.dupont@haute-marne.fr, « Dupont-Jean-52-52 », « jeanjean!!2026 » are refused: the
    digits and punctuation added to a name are the first thing an attacker tries. Case and accents are ignored.
    Django's UserAttributeSimilarityValidator misses these once the digits make the password long enough.
    """

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        words = self._words(user)
        letters = _letters(password)
        if letters and words and self._made_of(letters, words):
            raise ValidationError(MESSAGE, code="password_based_on_identity")

    def get_help_text(self) -> str:
        return "Votre mot de passe ne peut pas être votre nom ou votre adresse électronique suivis de chiffres."

    @staticmethod
    def _words(user) -> set[str]:
        local_part = (getattr(user, "email", "") or "").rpartition("@")[0]
        first_name = getattr(user, "first_name", "") or ""
        last_name = getattr(user, "last_name", "") or ""
        pieces = re.split(r"[\W_\d]+", f"{local_part} {first_name} {last_name}")
        words = {_letters(piece) for piece in pieces if len(_letters(piece)) >= 2}
        # Whole forms too, so that initials count: « jdupont » from j.dupont@…
        words |= {_letters(local_part), _letters(first_name + last_name), _letters(last_name + first_name)}
        return {word for word in words if word}

    @staticmethod
    def _made_of(letters: str, words: set[str]) -> bool:
        """Whether `letters` is a sequence of `words` (each as often as wanted)."""
        reachable = [True] + [False] * len(letters)
        for end in range(1, len(letters) + 1):
            reachable[end] = any(
                len(word) <= end and reachable[end - len(word)] and letters.endswith(word, 0, end) for word in words
            )
        return reachable[-1]
