"""The demonstration dataset: two Maisons, their rooms and hours, directions, partners, accounts."""

import datetime

from accounts.enums import Role

DEMO_PASSWORD = "maisons-52-demo"

ACCOUNTS = [
    # email, first name, last name, roles, Maison slugs
    ("agent.langres@demo.test", "Camille", "Bertrand", [Role.AGENT], ["langres"]),
    ("agent.saint-dizier@demo.test", "Julien", "Marchal", [Role.AGENT], ["saint-dizier"]),
    ("chef.projet@demo.test", "Sophie", "Lemoine", [Role.PROJECT_LEAD], []),
    ("elu@demo.test", "Bernard", "Collin", [Role.ELECTED], []),
    ("communication@demo.test", "Léa", "Roussel", [Role.COMMUNICATION], []),
    ("admin@demo.test", "Alex", "Perrin", [Role.ADMINISTRATOR], []),
]

MORNING = (datetime.time(8, 30), datetime.time(12, 0))
AFTERNOON = (datetime.time(13, 30), datetime.time(17, 0))

MAISONS = [
    {
        "slug": "langres",
        "name": "Maison du Département de Langres",
        "commune": "52269",
        "address": "12 rue Diderot",
        "postal_code": "52200",
        "latitude": "47.862500",
        "longitude": "5.333100",
        "phone": "03 25 87 00 00",
        "email": "maison.langres@haute-marne.fr",
        "description": "Au cœur de la ville haute, la Maison du Département de Langres vous accueille pour toutes vos questions sur les services du Département et vous oriente vers les bons interlocuteurs.",
        "accessibility": "Entrée de plain-pied côté rue Diderot, ascenseur vers la salle de réunion, place de stationnement réservée devant l’entrée. Boucle à induction magnétique à l’accueil. Bus : arrêt « Diderot ».",
        "hours": {
            0: [MORNING, AFTERNOON],
            1: [MORNING, AFTERNOON],
            2: [MORNING, AFTERNOON],
            3: [MORNING, AFTERNOON],
            4: [MORNING, (datetime.time(13, 30), datetime.time(16, 30))],
            5: [(datetime.time(9, 0), datetime.time(12, 0))],
        },
        "rooms": [
            ("Salle Diderot", 40, ["projector", "screen", "hearing_loop", "wifi"], True),
            ("Salle des permanences", 6, ["computer", "wifi"], True),
            ("Bureau d’entretien", 3, ["wifi"], False),
        ],
    },
    {
        "slug": "saint-dizier",
        "name": "Maison du Département de Saint-Dizier",
        "commune": "52448",
        "address": "5 place Aristide-Briand",
        "postal_code": "52100",
        "latitude": "48.638300",
        "longitude": "4.949700",
        "phone": "03 25 05 00 00",
        "email": "maison.saint-dizier@haute-marne.fr",
        "description": "Dans le centre-ville de Saint-Dizier, la Maison du Département accueille le public, les permanences de nos partenaires et les rencontres avec vos conseillers départementaux.",
        "accessibility": "Bâtiment entièrement de plain-pied, deux places de stationnement réservées, sanitaires adaptés. Bus : arrêt « Hôtel de ville ».",
        "hours": {day: [MORNING, AFTERNOON] for day in range(5)},
        "rooms": [
            ("Salle du Der", 60, ["projector", "screen", "videoconference", "hearing_loop", "wifi"], True),
            ("Salle de la Marne", 12, ["screen", "paperboard", "wifi"], True),
            ("Bureau des permanences", 4, ["computer", "wifi"], True),
        ],
    },
]

DIRECTIONS = [
    (
        "Direction des routes et des mobilités",
        "DRM",
        "routes@haute-marne.fr",
        "Entretien des routes départementales, viabilité hivernale, transports.",
    ),
    (
        "Direction de l’éducation et des collèges",
        "DEC",
        "colleges@haute-marne.fr",
        "Collèges publics, restauration scolaire, transport des élèves en situation de handicap.",
    ),
    (
        "Direction de l’autonomie",
        "DA",
        "autonomie@haute-marne.fr",
        "Allocation personnalisée d’autonomie, prestation de compensation du handicap, établissements pour personnes âgées.",
    ),
    (
        "Direction de l’insertion et du logement",
        "DIL",
        "insertion@haute-marne.fr",
        "Revenu de solidarité active, accompagnement vers l’emploi, fonds de solidarité logement.",
    ),
    (
        "Direction de l’enfance et de la famille",
        "DEF",
        "enfance-famille@haute-marne.fr",
        "Protection maternelle et infantile, aide sociale à l’enfance, assistants maternels.",
    ),
    (
        "Direction de la culture, des sports et de la vie associative",
        "DCSVA",
        "culture@haute-marne.fr",
        "Archives départementales, médiathèque, subventions aux associations.",
    ),
    (
        "Direction de l’environnement et de l’agriculture",
        "DEA",
        "environnement@haute-marne.fr",
        "Eau, espaces naturels sensibles, aides à l’agriculture.",
    ),
    (
        "Direction de l’attractivité et du tourisme",
        "DAT",
        "attractivite@haute-marne.fr",
        "Développement économique, tourisme, accueil de nouveaux habitants.",
    ),
    (
        "Direction des solidarités territoriales",
        "DST",
        "solidarites@haute-marne.fr",
        "Maisons des Solidarités, accueil social de proximité.",
    ),
    (
        "Direction des ressources humaines",
        "DRH",
        "recrutement@haute-marne.fr",
        "Offres d’emploi et stages au Département.",
    ),
]

PARTNERS = [
    ("Caisse d’allocations familiales de la Haute-Marne", "CAF", "protection_sociale", "52121"),
    ("Caisse primaire d’assurance maladie de la Haute-Marne", "CPAM", "protection_sociale", "52121"),
    ("France Travail", "", "emploi", "52448"),
    ("Mutualité sociale agricole Sud Champagne", "MSA", "protection_sociale", "52121"),
    ("Caisse d’assurance retraite et de la santé au travail Nord-Est", "CARSAT", "protection_sociale", ""),
    ("Mission locale du Sud Haute-Marne", "", "emploi", "52269"),
    ("Agence départementale d’information sur le logement", "ADIL 52", "association", "52121"),
    ("France Victimes 52", "", "association", "52121"),
]

MOTIFS = [
    "Information sur les services du Département",
    "Aides aux personnes âgées et handicapées",
    "Insertion, RSA et emploi",
    "Enfance, famille et PMI",
    "Routes et déplacements",
    "Collèges et transports scolaires",
    "Logement",
    "Démarches en ligne et numérique",
    "Orientation vers un partenaire",
    "Autre demande",
]

CATEGORIES = [
    ("Atelier", "atelier"),
    ("Réunion d’information", "reunion-information"),
    ("Exposition", "exposition"),
    ("Permanence", "permanence"),
]
