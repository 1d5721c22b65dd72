"""schema.org markup of a partner's page (JSON-LD): the organisation, its address, contact and hours, its services
as an offer catalogue. Built from public fields only: internal contacts never appear here."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from .enums import PartnerKind
from .models import Partner
from .opening_hours import END_OF_DAY

# The characters that could end the script element or open a comment, escaped (as django.utils.html.json_script).
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
GOVERNMENT_KINDS = {PartnerKind.PUBLIC_BODY, PartnerKind.SOCIAL_SECURITY, PartnerKind.LOCAL_AUTHORITY}


def partner_json_ld(partner: Partner, services, *, url: str) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "GovernmentOrganization" if partner.kind in GOVERNMENT_KINDS else "Organization",
        "name": partner.name,
        "url": url,
    }
    if partner.acronym:
        data["alternateName"] = partner.acronym
    if partner.description:
        data["description"] = partner.description
    if partner.website:
        data["sameAs"] = partner.website
    if partner.siret:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "SIRET", "value": partner.siret}
    if partner.address or partner.commune_id:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": partner.address,
            "postalCode": partner.postal_code,
            "addressLocality": partner.commune.name if partner.commune_id else "",
            "addressCountry": "FR",
        }
    contact = {"@type": "ContactPoint", "contactType": "accueil du public", "availableLanguage": "fr"}
    if partner.phone:
        contact["telephone"] = partner.phone
    if partner.email:
        contact["email"] = partner.email
    week = partner.hours()
    hours = week.schema_org()
    if hours:
        data["openingHours"] = hours
        contact["hoursAvailable"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{DAYS[day]}",
                "opens": start.strftime("%H:%M"),
                "closes": "23:59" if end == END_OF_DAY else end.strftime("%H:%M"),
            }
            for day, intervals in sorted(week.days.items())
            for start, end in intervals
        ]
    if len(contact) > 3:
        data["contactPoint"] = contact
    offers = [
        {
            "@type": "Offer",
            "itemOffered": {"@type": "Service", "name": service.name, "description": service.summary or None},
            **({"price": "0", "priceCurrency": "EUR"} if service.fees == "gratuit" else {}),
        }
        for service in services
    ]
    if offers:
        data["hasOfferCatalog"] = {"@type": "OfferCatalog", "name": "Services", "itemListElement": offers}
    return data


def json_ld_script(data: dict) -> SafeString:
    """The data as the body of a `<script type="application/ld+json">`, escaped like `json_script` does."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)
