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
        "description": (
            "Au cœur de la ville haute, la Maison du Département de Langres vous accueille pour toutes vos questions "
            "sur les services du Département : routes, collèges, aides aux personnes âgées et aux personnes en "
            "situation de handicap, culture, sport et tourisme. L’équipe d’accueil vous renseigne, vous aide dans vos "
            "démarches en ligne et vous oriente vers le bon interlocuteur.\n\n"
            "Chaque semaine, des partenaires y tiennent leurs permanences (CAF, CPAM, France Travail, associations) "
            "et vos conseillers départementaux y reçoivent sur rendez-vous. Un poste informatique en libre accès "
            "est à votre disposition aux heures d’ouverture."
        ),
        "accessibility": (
            "Entrée de plain-pied côté rue Diderot, porte automatique. Ascenseur vers la salle de réunion. "
            "Boucle à induction magnétique à l’accueil, toilettes adaptées au rez-de-chaussée.\n"
            "Stationnement : une place réservée aux personnes handicapées devant l’entrée, parking de la place "
            "Bel-Air à 200 m.\n"
            "Transports : navette urbaine, arrêt « Diderot » ; gare de Langres à 1,5 km (navette vers la ville haute)."
        ),
        "photo_alt": "Façade de la Maison du Département de Langres, entrée de plain-pied sous les arcades",
        "photo_colour": (160, 120, 80),
        # A partial-day closure in the week ahead: (weekday, start, end, reason).
        "partial_closure": (1, datetime.time(8, 30), datetime.time(10, 0), "Réunion d’équipe"),
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
        "description": (
            "Dans le centre-ville de Saint-Dizier, face à l’hôtel de ville, la Maison du Département accueille le "
            "public pour toutes les questions sur les services du Département et l’aide aux démarches en ligne.\n\n"
            "Elle accueille aussi les permanences de nos partenaires, les rencontres avec vos conseillers "
            "départementaux et, tout au long de l’année, des ateliers et des expositions ouverts à tous."
        ),
        "accessibility": (
            "Bâtiment entièrement de plain-pied, portes larges, sanitaires adaptés, boucle à induction magnétique "
            "dans la salle du Der.\n"
            "Stationnement : deux places réservées devant l’entrée, parking de la place Aristide-Briand.\n"
            "Transports : bus Tedi, arrêt « Hôtel de ville » (lignes 1, 2 et 4) ; gare de Saint-Dizier à 800 m."
        ),
        "photo_alt": "Façade de la Maison du Département de Saint-Dizier, place Aristide-Briand",
        "photo_colour": (70, 110, 150),
        "partial_closure": (3, datetime.time(14, 0), datetime.time(17, 0), "Formation du personnel"),
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

# The partner directory is in demo/partners_data.py.

CATEGORIES = [
    ("Atelier", "atelier"),
    ("Réunion d’information", "reunion-information"),
    ("Exposition", "exposition"),
    ("Permanence", "permanence"),
]
