"""What the API answers, field by field (French names, as data·inclusion's and the State's open APIs use).

Internal contacts, notes, unpublished entries and staff-only fields have no schema here: they cannot leak.
"""

import datetime

from ninja import Schema


class CommuneOut(Schema):
    code_insee: str
    nom: str


class PlageHoraire(Schema):
    jour: str
    ouverture: str
    fermeture: str


class FermetureOut(Schema):
    debut: datetime.datetime
    fin: datetime.datetime
    motif: str


class MaisonOut(Schema):
    slug: str
    nom: str
    description: str
    adresse: str
    code_postal: str
    commune: CommuneOut
    latitude: float
    longitude: float
    telephone: str
    courriel: str
    accessibilite: str
    url: str
    horaires: list[PlageHoraire]
    fermetures_exceptionnelles: list[FermetureOut]
    mis_a_jour_le: datetime.datetime


class ThematiqueOut(Schema):
    code: str
    libelle: str


class ServiceOut(Schema):
    id: int
    partenaire: str
    nom: str
    resume: str
    description: str
    thematiques: list[ThematiqueOut]
    publics: list[str]
    modes_acces: list[str]
    frais: str
    frais_precisions: str
    pieces_a_fournir: str
    territoire: str
    communes: list[str]
    intercommunalites: list[str]
    telephone: str
    courriel: str
    mis_a_jour_le: datetime.datetime


class PartenaireOut(Schema):
    slug: str
    nom: str
    sigle: str
    type: str
    description: str
    siret: str
    adresse: str
    code_postal: str
    commune: CommuneOut | None
    telephone: str
    courriel: str
    site_internet: str
    horaires_osm: str
    horaires: list[str]
    thematiques: list[ThematiqueOut]
    tient_des_permanences: bool
    verifiee_le: datetime.date | None
    mis_a_jour_le: datetime.datetime
    url: str
    services: list[ServiceOut]


class EvenementOut(Schema):
    slug: str | None
    titre: str
    description: str
    categorie: str | None
    nature: str
    maison: str
    salle: str | None
    debut: datetime.datetime
    fin: datetime.datetime
    toute_la_journee: bool
    partenaire: str | None
    url: str | None


class Erreur(Schema):
    parametre: str
    message: str


class ErreurOut(Schema):
    message: str
    erreurs: list[Erreur] = []
