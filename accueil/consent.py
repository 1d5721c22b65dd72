"""The consent text read to a visitor before a referral. Its version is recorded with each referral, with the text
itself: change the text, change the version."""

CURRENT_VERSION = "2026-11"

TEXTS = {
    "2026-11": (
        "Avec votre accord, je transmets votre nom, le moyen de vous joindre que vous m’indiquez et votre besoin, "
        "en une phrase, à l’organisme qui peut vous répondre. Il vous contactera directement. Ces informations "
        "sont effacées de notre portail au bout de {months} mois ; vous pouvez retirer votre accord à tout moment "
        "en vous adressant à la Maison du Département."
    ),
}


def text(version: str = CURRENT_VERSION) -> str:
    from django.conf import settings

    return TEXTS[version].format(months=round(settings.VISIT_REFERRAL_RETENTION_DAYS / 30.4))
