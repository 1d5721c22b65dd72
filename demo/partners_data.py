"""The partner directory of the demonstration: about forty organisations a Haute-Marne reception desk orients to.

Names, towns and missions are realistic; every telephone number is in the range ARCEP reserves for fiction
(03 53 01 xx xx) and every e-mail address ends in « .test » (RFC 2606): none reaches anyone. SIRETs are left empty.
"""

SOURCE = "Données de démonstration (coordonnées fictives)"

# EPCI (SIREN) of the Code officiel géographique.
CA_CHAUMONT = "200068658"
CC_GRAND_LANGRES = "200072999"
CA_SAINT_DIZIER = "200068666"
CC_JOINVILLE = "200044253"
CC_SAVOIR_FAIRE = "200070332"

WEEKDAYS = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
MORNINGS = "Mo-Fr 09:00-12:00; PH off"


def service(name, summary, themes, *, audiences=("tous-publics",), access=("sur_place", "telephone"), fees="gratuit",
            documents="", area="departement", epci=(), description=""):  # fmt: skip
    return {
        "name": name,
        "summary": summary,
        "themes": list(themes),
        "audiences": list(audiences),
        "access_modes": list(access),
        "fees": fees,
        "documents": documents,
        "area": area,
        "epci_codes": list(epci),
        "description": description,
    }


def partner(slug, name, acronym, kind, commune, address, postal_code, phone, *, themes, services=(), hours=WEEKDAYS,
            permanences=False, description="", website=""):  # fmt: skip
    return {
        "slug": slug,
        "name": name,
        "acronym": acronym,
        "kind": kind,
        "commune": commune,
        "address": address,
        "postal_code": postal_code,
        "phone": phone,
        "email": f"contact@{slug}.demo.test",
        "website": website,
        "opening_hours": hours,
        "themes": list(themes),
        "services": list(services),
        "holds_permanences": permanences,
        "description": description,
    }


ACCES_DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
DEMARCHES = "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives"
SOINS = "sante--acces-aux-soins"
BUDGET = "difficultes-financieres--ameliorer-sa-gestion-budgetaire"
SURENDETTEMENT = "difficultes-financieres--situation-dendettement-surendettement"
PARENTALITE = "famille--soutien-a-la-parentalite-et-a-leducation"
GARDE = "famille--garde-denfants"
VIOLENCES = "famille--surmonter-conflits-separation-violence"
DEPENDANCE = "famille--prise-en-charge-personne-dependante"
AIDANTS = "famille--soutien-aidants"
AIDE_MENAGERE = "equipement-et-alimentation--aide-menagere"
ALIMENTATION = "equipement-et-alimentation--alimentation"
LOGEMENT_ACCES = "logement-hebergement--sinformer-sur-les-demarches-liees-a-lacces-au-logement"
LOGEMENT_MAINTIEN = "logement-hebergement--se-maintenir-dans-le-logement"
IMPAYES = "logement-hebergement--reduire-les-impayes-de-loyer"
HEBERGEMENT = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
OFFRES = "trouver-un-emploi--repondre-a-des-offres-demploi"
CANDIDATURE = "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"
FORMATION = "se-former--trouver-sa-formation"
METIER = "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite"
MOBILITE = "mobilite--etre-accompagne-dans-son-parcours-mobilite"
PERMIS = "mobilite--preparer-un-permis"
EN_LIGNE = "numerique--acceder-a-des-services-en-ligne"
NUMERIQUE = "numerique--maitriser-les-fondamentaux-du-numerique"
JUSTICE = "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"
PROTECTION = "difficultes-financieres--mettre-en-place-une-mesure-de-protection-financiere"
MDPH = "sante--constituer-un-dossier-mdph-invalidite"
LIEN_SOCIAL = "remobilisation--lien-social"
ENTREPRISE = "creer-une-entreprise--definir-son-projet-de-creation-dentreprise"
FRANCAIS = "lecture-ecriture-calcul--maitriser-le-francais"
ADDICTIONS = "sante--addictions"
SANTE_MENTALE = "sante--sante-mentale"

PARTNERS = [
    partner(
        "caf",
        "Caisse d’allocations familiales de la Haute-Marne",
        "CAF",
        "protection_sociale",
        "52121",
        "7 rue Émile Zola",
        "52000",
        "03 53 01 00 01",
        themes=[ACCES_DROITS, PARENTALITE, LOGEMENT_MAINTIEN],
        permanences=True,
        website="https://www.caf.fr",
        description="Prestations familiales, aides au logement, RSA et prime d’activité, accompagnement des "
        "familles. Accueil sur rendez-vous à Chaumont et permanences dans les Maisons du Département.",
        services=[
            service(
                "Aides au logement",
                "Demander ou faire réviser une aide personnalisée au logement (APL).",
                [LOGEMENT_MAINTIEN, ACCES_DROITS],
                access=("sur_place", "en_ligne", "rendez_vous"),
                documents="Bail ou attestation de loyer\nRelevé d’identité bancaire\nNuméro d’allocataire",
            ),
            service(
                "RSA et prime d’activité",
                "Savoir si vous avez droit au RSA ou à la prime d’activité et faire la demande.",
                [ACCES_DROITS, BUDGET],
                audiences=("beneficiaires-des-minimas-sociaux", "actifs"),
                access=("en_ligne", "rendez_vous"),
            ),
            service(
                "Rendez-vous avec un travailleur social",
                "Être accompagné après une séparation, un décès ou un changement de situation familiale.",
                [PARENTALITE, VIOLENCES],
                audiences=("familles",),
                access=("rendez_vous",),
            ),
        ],
    ),
    partner(
        "cpam",
        "Caisse primaire d’assurance maladie de la Haute-Marne",
        "CPAM",
        "protection_sociale",
        "52121",
        "2 rue Rouget de Lisle",
        "52000",
        "03 53 01 00 02",
        themes=[SOINS, ACCES_DROITS],
        permanences=True,
        website="https://www.ameli.fr",
        description="L’Assurance maladie, branche de la Sécurité sociale : remboursement des soins, carte "
        "Vitale, complémentaire santé solidaire, indemnités journalières.",
        services=[
            service(
                "Complémentaire santé solidaire",
                "Vérifier vos droits et demander la complémentaire santé solidaire.",
                [SOINS, ACCES_DROITS],
                access=("sur_place", "en_ligne", "rendez_vous"),
                documents="Carte Vitale\nAvis d’imposition\nJustificatifs de ressources des 12 derniers mois",
            ),
            service(
                "Carte Vitale et compte ameli",
                "Obtenir ou mettre à jour sa carte Vitale, créer son compte ameli.",
                [SOINS, EN_LIGNE],
                access=("sur_place", "en_ligne"),
            ),
            service(
                "Mission accompagnement santé",
                "Être aidé quand on renonce à se soigner.",
                [SOINS],
                access=("telephone", "rendez_vous"),
            ),
        ],
    ),
    partner(
        "carsat-nord-est",
        "Caisse d’assurance retraite et de la santé au travail Nord-Est",
        "CARSAT",
        "protection_sociale",
        "52121",
        "12 avenue de la République",
        "52000",
        "03 53 01 00 03",
        themes=[ACCES_DROITS, DEPENDANCE],
        permanences=True,
        hours=MORNINGS,
        website="https://www.carsat-nordest.fr",
        description="Retraite du régime général : préparer sa retraite, faire sa demande, aides pour bien vieillir "
        "à domicile.",
        services=[
            service(
                "Préparer sa retraite",
                "Faire le point sur sa carrière et déposer sa demande de retraite.",
                [ACCES_DROITS],
                audiences=("actifs", "seniors"),
                access=("en_ligne", "rendez_vous"),
                documents="Relevé de carrière\nPièce d’identité\nRelevé d’identité bancaire",
            ),
            service(
                "Aide au maintien à domicile",
                "Aide ménagère et adaptation du logement pour les retraités.",
                [DEPENDANCE, AIDE_MENAGERE],
                audiences=("seniors",),
            ),
        ],
    ),
    partner(
        "msa-sud-champagne",
        "MSA Sud Champagne",
        "MSA",
        "protection_sociale",
        "52121",
        "15 rue de la Tuilerie",
        "52000",
        "03 53 01 00 04",
        themes=[SOINS, ACCES_DROITS, PARENTALITE],
        permanences=True,
        description="La protection sociale du monde agricole : santé, famille, retraite, accompagnement social "
        "des exploitants et salariés agricoles.",
        services=[
            service(
                "Accueil des adhérents",
                "Santé, famille, retraite des exploitants et salariés agricoles.",
                [ACCES_DROITS, SOINS],
                access=("sur_place", "telephone", "rendez_vous"),
            ),
            service(
                "Répit des aidants agricoles",
                "Souffler quand on aide un proche dépendant.",
                [AIDANTS],
                audiences=("actifs",),
            ),
        ],
    ),
    partner(
        "france-travail-langres",
        "France Travail Langres",
        "",
        "emploi",
        "52269",
        "4 rue Lhomond",
        "52200",
        "03 53 01 00 05",
        themes=[OFFRES, CANDIDATURE, FORMATION],
        hours="Mo-Th 08:30-12:30,13:30-16:30; Fr 08:30-12:30",
        description="Agence France Travail du sud de la Haute-Marne : inscription, indemnisation, offres d’emploi, "
        "conseil et formation.",
        services=[
            service(
                "Inscription et indemnisation",
                "S’inscrire comme demandeur d’emploi et suivre son indemnisation.",
                [OFFRES],
                audiences=("demandeurs-emploi",),
                access=("en_ligne", "sur_place"),
                area="epci",
                epci=[CC_GRAND_LANGRES, CC_SAVOIR_FAIRE],
            ),
            service(
                "Ateliers CV et entretien",
                "Ateliers collectifs pour préparer sa candidature.",
                [CANDIDATURE],
                audiences=("demandeurs-emploi", "jeunes"),
                access=("sur_place",),
                area="epci",
                epci=[CC_GRAND_LANGRES, CC_SAVOIR_FAIRE],
            ),
        ],
    ),
    partner(
        "france-travail-saint-dizier",
        "France Travail Saint-Dizier",
        "",
        "emploi",
        "52448",
        "2 rue Gambetta",
        "52100",
        "03 53 01 00 06",
        themes=[OFFRES, CANDIDATURE, FORMATION],
        permanences=True,
        hours="Mo-Th 08:30-12:30,13:30-16:30; Fr 08:30-12:30",
        description="Agence France Travail du nord de la Haute-Marne : inscription, offres d’emploi, conseil, "
        "formation, accompagnement des entreprises.",
        services=[
            service(
                "Inscription et indemnisation",
                "S’inscrire comme demandeur d’emploi et suivre son indemnisation.",
                [OFFRES],
                audiences=("demandeurs-emploi",),
                access=("en_ligne", "sur_place"),
                area="epci",
                epci=[CA_SAINT_DIZIER, CC_JOINVILLE],
            ),
            service(
                "Trouver une formation",
                "Construire son projet et financer sa formation.",
                [FORMATION],
                audiences=("demandeurs-emploi",),
                access=("rendez_vous",),
                area="epci",
                epci=[CA_SAINT_DIZIER, CC_JOINVILLE],
            ),
        ],
    ),
    partner(
        "france-travail-chaumont",
        "France Travail Chaumont",
        "",
        "emploi",
        "52121",
        "30 avenue Carnot",
        "52000",
        "03 53 01 00 07",
        themes=[OFFRES, CANDIDATURE],
        hours="Mo-Th 08:30-12:30,13:30-16:30; Fr 08:30-12:30",
        services=[
            service(
                "Inscription et indemnisation",
                "S’inscrire comme demandeur d’emploi.",
                [OFFRES],
                audiences=("demandeurs-emploi",),
                access=("en_ligne", "sur_place"),
                area="epci",
                epci=[CA_CHAUMONT],
            ),
        ],
    ),
    partner(
        "sip-chaumont",
        "Centre des finances publiques de Chaumont – service des impôts des particuliers",
        "SIP",
        "public",
        "52121",
        "82 rue Victoire de la Marne",
        "52000",
        "03 53 01 00 08",
        themes=[DEMARCHES, BUDGET],
        hours="Mo-Fr 08:30-12:00; Mo,Tu,Th 13:30-16:00; PH off",
        description="Impôt sur le revenu, prélèvement à la source, taxe foncière : réponses et aide à la déclaration.",
        services=[
            service(
                "Aide à la déclaration de revenus",
                "Être aidé pour déclarer ses revenus en ligne ou sur papier.",
                [DEMARCHES, EN_LIGNE],
                access=("sur_place", "telephone", "en_ligne", "rendez_vous"),
                documents="Numéro fiscal\nDernier avis d’impôt\nJustificatifs de revenus",
            ),
        ],
    ),
    partner(
        "sip-saint-dizier",
        "Centre des finances publiques de Saint-Dizier",
        "",
        "public",
        "52448",
        "5 rue du Docteur Mougeot",
        "52100",
        "03 53 01 00 09",
        themes=[DEMARCHES],
        permanences=True,
        hours="Mo-Fr 08:30-12:00; PH off",
        services=[
            service("Accueil fiscal de proximité", "Questions sur l’impôt, paiement, échéancier.", [DEMARCHES, BUDGET])
        ],
    ),
    partner(
        "adil-52",
        "Agence départementale d’information sur le logement de la Haute-Marne",
        "ADIL 52",
        "association",
        "52121",
        "Espace Bouchardon, 17 rue Bouchardon",
        "52000",
        "03 53 01 00 10",
        themes=[LOGEMENT_ACCES, IMPAYES, LOGEMENT_MAINTIEN],
        permanences=True,
        hours="Mo-Fr 09:00-12:00,14:00-17:00",
        description="Conseils juridiques, financiers et fiscaux gratuits et neutres sur le logement : location, "
        "achat, travaux, impayés.",
        services=[
            service(
                "Conseil juridique logement",
                "Bail, dépôt de garantie, charges, congé, travaux : vos droits de locataire ou de propriétaire.",
                [LOGEMENT_ACCES, LOGEMENT_MAINTIEN],
                access=("telephone", "rendez_vous", "sur_place"),
            ),
            service(
                "Prévention des expulsions",
                "Agir dès le premier impayé de loyer.",
                [IMPAYES],
                audiences=("tous-publics", "personnes-en-situation-durgence"),
                access=("telephone", "rendez_vous"),
            ),
        ],
    ),
    partner(
        "cidff-52",
        "Centre d’information sur les droits des femmes et des familles de la Haute-Marne",
        "CIDFF",
        "association",
        "52121",
        "3 rue Decrès",
        "52000",
        "03 53 01 00 11",
        themes=[VIOLENCES, ACCES_DROITS],
        permanences=True,
        hours="Mo-Fr 09:00-12:00,13:30-17:00",
        description="Information juridique gratuite et confidentielle, accompagnement des femmes victimes de "
        "violences, soutien à l’emploi.",
        services=[
            service(
                "Information juridique",
                "Droit de la famille, séparation, pension alimentaire, droit du travail.",
                [ACCES_DROITS, VIOLENCES],
                audiences=("femmes", "familles"),
                access=("rendez_vous", "telephone"),
            ),
            service(
                "Accompagnement des victimes de violences",
                "Écoute, information et accompagnement dans les démarches.",
                [VIOLENCES],
                audiences=("femmes", "personnes-en-situation-durgence"),
                access=("telephone", "rendez_vous"),
            ),
        ],
    ),
    partner(
        "mission-locale-sud",
        "Mission locale du Sud Haute-Marne",
        "",
        "emploi",
        "52269",
        "6 rue Diderot",
        "52200",
        "03 53 01 00 12",
        themes=[METIER, CANDIDATURE, MOBILITE, FORMATION],
        permanences=True,
        description="Accompagnement des 16-25 ans : emploi, formation, logement, santé, mobilité, contrat "
        "d’engagement jeune.",
        services=[
            service(
                "Contrat d’engagement jeune",
                "Un accompagnement intensif et une allocation pour trouver sa voie.",
                [METIER, OFFRES],
                audiences=("jeunes",),
                access=("rendez_vous",),
                area="epci",
                epci=[CC_GRAND_LANGRES, CC_SAVOIR_FAIRE],
            ),
            service(
                "Aide au permis de conduire",
                "Financer et préparer son permis.",
                [PERMIS, MOBILITE],
                audiences=("jeunes",),
                access=("rendez_vous",),
                area="epci",
                epci=[CC_GRAND_LANGRES, CC_SAVOIR_FAIRE],
            ),
        ],
    ),
    partner(
        "mission-locale-nord",
        "Mission locale du Nord Haute-Marne",
        "",
        "emploi",
        "52448",
        "10 avenue de Verdun",
        "52100",
        "03 53 01 00 13",
        themes=[METIER, CANDIDATURE, FORMATION],
        services=[
            service(
                "Contrat d’engagement jeune",
                "Un accompagnement intensif et une allocation pour trouver sa voie.",
                [METIER, OFFRES],
                audiences=("jeunes",),
                access=("rendez_vous",),
                area="epci",
                epci=[CA_SAINT_DIZIER, CC_JOINVILLE],
            ),
        ],
    ),
    partner(
        "udaf-52",
        "Union départementale des associations familiales de la Haute-Marne",
        "UDAF",
        "association",
        "52121",
        "21 boulevard Gambetta",
        "52000",
        "03 53 01 00 14",
        themes=[PROTECTION, BUDGET, SURENDETTEMENT],
        description="Mesures de protection des majeurs, point conseil budget, médiation familiale.",
        services=[
            service(
                "Point conseil budget",
                "Un conseil gratuit et confidentiel pour faire face à des difficultés financières.",
                [BUDGET, SURENDETTEMENT],
                access=("rendez_vous", "telephone"),
            ),
            service(
                "Information des tuteurs familiaux",
                "Aider un proche placé sous tutelle ou curatelle.",
                [PROTECTION, AIDANTS],
                access=("telephone", "rendez_vous"),
            ),
        ],
    ),
    partner(
        "france-services-joinville",
        "France Services de Joinville",
        "",
        "public",
        "52250",
        "Place Saunoise",
        "52300",
        "03 53 01 00 15",
        themes=[DEMARCHES, EN_LIGNE],
        hours="Mo-Fr 09:00-12:00,13:30-17:00; Sa 09:00-12:00; PH off",
        description="Un guichet unique pour les démarches administratives : CAF, Assurance maladie, retraite, impôts, "
        "carte grise, titres d’identité.",
        services=[
            service(
                "Aide aux démarches en ligne",
                "Être accompagné pour une démarche sur internet.",
                [EN_LIGNE, DEMARCHES],
                access=("sur_place", "rendez_vous"),
                area="epci",
                epci=[CC_JOINVILLE],
            ),
            service(
                "Carte d’identité perdue ou volée",
                "Faire la pré-demande en ligne et préparer son dossier.",
                [DEMARCHES],
                access=("sur_place",),
                area="epci",
                epci=[CC_JOINVILLE],
                documents="Déclaration de perte ou de vol\nPhoto d’identité récente\nJustificatif de domicile\n"
                "Timbre fiscal de 25 € en cas de perte",
            ),
        ],
    ),
    partner(
        "france-services-bourbonne",
        "France Services de Bourbonne-les-Bains",
        "",
        "public",
        "52060",
        "Place des Bains",
        "52400",
        "03 53 01 00 16",
        themes=[DEMARCHES, EN_LIGNE],
        hours="Mo-Fr 09:00-12:00,14:00-17:00; PH off",
        services=[
            service(
                "Aide aux démarches en ligne",
                "Être accompagné pour une démarche sur internet.",
                [EN_LIGNE, DEMARCHES],
                access=("sur_place", "rendez_vous"),
                area="epci",
                epci=[CC_SAVOIR_FAIRE],
            ),
        ],
    ),
    partner(
        "france-services-wassy",
        "France Services de Wassy",
        "",
        "public",
        "52550",
        "Rue du Général de Gaulle",
        "52130",
        "03 53 01 00 17",
        themes=[DEMARCHES, EN_LIGNE],
        hours="Mo-Fr 09:00-12:00,13:30-17:00; PH off",
        services=[
            service(
                "Aide aux démarches en ligne",
                "Être accompagné pour une démarche sur internet.",
                [EN_LIGNE, DEMARCHES],
                access=("sur_place", "rendez_vous"),
                area="epci",
                epci=[CA_SAINT_DIZIER],
            ),
        ],
    ),
    partner(
        "admr-52",
        "Fédération ADMR de la Haute-Marne",
        "ADMR",
        "association",
        "52121",
        "5 rue Dutailly",
        "52000",
        "03 53 01 00 18",
        themes=[AIDE_MENAGERE, DEPENDANCE, GARDE],
        description="Aide et soins à domicile : ménage, repas, toilette, garde d’enfants, téléassistance.",
        services=[
            service(
                "Aide à domicile",
                "Ménage, courses, repas pour les personnes âgées ou handicapées.",
                [AIDE_MENAGERE, DEPENDANCE],
                audiences=("seniors", "personnes-en-situation-de-handicap"),
                access=("telephone", "rendez_vous"),
                fees="payant",
            ),
            service(
                "Garde d’enfants à domicile",
                "Avant ou après l’école, en horaires décalés.",
                [GARDE],
                audiences=("familles",),
                access=("telephone",),
                fees="payant",
            ),
        ],
    ),
    partner(
        "aid-domicile-nord",
        "Association d’aide à domicile du Nord Haute-Marne",
        "",
        "association",
        "52448",
        "18 rue de la Commune de Paris",
        "52100",
        "03 53 01 00 19",
        themes=[AIDE_MENAGERE, DEPENDANCE],
        services=[
            service(
                "Aide à domicile",
                "Accompagnement des personnes âgées à domicile.",
                [AIDE_MENAGERE, DEPENDANCE],
                audiences=("seniors",),
                access=("telephone",),
                fees="payant",
                area="epci",
                epci=[CA_SAINT_DIZIER],
            ),
        ],
    ),
    partner(
        "mdph-52",
        "Maison départementale des personnes handicapées de la Haute-Marne",
        "MDPH",
        "public",
        "52121",
        "89 rue Victoire de la Marne",
        "52000",
        "03 53 01 00 20",
        themes=[MDPH, ACCES_DROITS],
        permanences=True,
        description="Droits des personnes handicapées : allocation adulte handicapé, prestation de compensation, "
        "carte mobilité inclusion, orientation.",
        services=[
            service(
                "Constituer un dossier MDPH",
                "Être aidé pour remplir le formulaire et réunir les pièces.",
                [MDPH],
                audiences=("personnes-en-situation-de-handicap",),
                access=("sur_place", "telephone"),
                documents="Formulaire de demande\nCertificat médical de moins d’un an\nPièce d’identité\n"
                "Justificatif de domicile",
            ),
        ],
    ),
    partner(
        "france-victimes-52",
        "France Victimes 52",
        "",
        "association",
        "52121",
        "Palais de justice, place du Palais",
        "52000",
        "03 53 01 00 21",
        themes=[JUSTICE, VIOLENCES],
        description="Aide gratuite aux victimes d’infractions : écoute, information sur les droits, soutien "
        "psychologique, accompagnement au procès.",
        services=[
            service(
                "Aide aux victimes",
                "Écoute et accompagnement après une agression, un vol, un accident.",
                [JUSTICE, VIOLENCES],
                access=("telephone", "rendez_vous"),
            )
        ],
    ),
    partner(
        "cdad-52",
        "Point-justice de la Haute-Marne",
        "",
        "public",
        "52121",
        "Place du Palais",
        "52000",
        "03 53 01 00 22",
        themes=[JUSTICE, ACCES_DROITS],
        permanences=True,
        hours="Tu,Th 09:00-12:00",
        description="Consultations juridiques gratuites avec des avocats, notaires, conciliateurs de justice.",
        services=[
            service(
                "Consultation d’un avocat", "Un premier conseil juridique gratuit.", [JUSTICE], access=("rendez_vous",)
            )
        ],
    ),
    partner(
        "secours-populaire-chaumont",
        "Secours populaire français – Chaumont",
        "",
        "association",
        "52121",
        "9 rue Toupot de Béveaux",
        "52000",
        "03 53 01 00 23",
        themes=[ALIMENTATION, LIEN_SOCIAL],
        hours="Tu,Th 14:00-17:00",
        services=[
            service(
                "Aide alimentaire",
                "Colis et libre-service solidaire.",
                [ALIMENTATION],
                audiences=("personnes-en-situation-durgence", "familles"),
                access=("sur_place",),
                documents="Justificatifs de ressources et de charges",
                area="epci",
                epci=[CA_CHAUMONT],
            )
        ],
    ),
    partner(
        "restos-du-coeur-52",
        "Les Restaurants du cœur de la Haute-Marne",
        "",
        "association",
        "52448",
        "Rue Jean Moulin",
        "52100",
        "03 53 01 00 24",
        themes=[ALIMENTATION],
        hours="Mo,Th 09:00-11:30",
        services=[
            service(
                "Distribution alimentaire",
                "Repas et colis pendant la campagne d’hiver.",
                [ALIMENTATION],
                audiences=("personnes-en-situation-durgence",),
                access=("sur_place",),
            )
        ],
    ),
    partner(
        "epicerie-solidaire-langres",
        "Épicerie solidaire du Pays de Langres",
        "",
        "association",
        "52269",
        "11 rue Boillot",
        "52200",
        "03 53 01 00 25",
        themes=[ALIMENTATION, BUDGET],
        hours="We,Fr 14:00-18:00",
        services=[
            service(
                "Épicerie solidaire",
                "Des produits à petit prix et un accompagnement budgétaire.",
                [ALIMENTATION, BUDGET],
                access=("sur_place",),
                fees="payant",
                area="epci",
                epci=[CC_GRAND_LANGRES],
            )
        ],
    ),
    partner(
        "croix-rouge-saint-dizier",
        "Croix-Rouge française – unité locale de Saint-Dizier",
        "",
        "association",
        "52448",
        "4 rue de l’Arquebuse",
        "52100",
        "03 53 01 00 26",
        themes=[ALIMENTATION, HEBERGEMENT, LIEN_SOCIAL],
        hours="Tu,Fr 09:00-12:00",
        services=[
            service(
                "Vestiboutique et aide d’urgence",
                "Vêtements à petit prix, aide alimentaire d’urgence.",
                ["equipement-et-alimentation--habillement", ALIMENTATION],
                access=("sur_place",),
            )
        ],
    ),
    partner(
        "sos-hebergement-115",
        "Service intégré d’accueil et d’orientation de la Haute-Marne (115)",
        "SIAO",
        "association",
        "52121",
        "",
        "52000",
        "03 53 01 00 27",
        themes=[HEBERGEMENT],
        hours="24/7",
        description="Le 115 : hébergement d’urgence et orientation des personnes sans abri, jour et nuit.",
        services=[
            service(
                "Hébergement d’urgence",
                "Trouver un hébergement pour la nuit.",
                [HEBERGEMENT],
                audiences=("personnes-en-situation-durgence",),
                access=("telephone",),
            )
        ],
    ),
    partner(
        "csapa-52",
        "Centre de soins, d’accompagnement et de prévention en addictologie",
        "CSAPA",
        "association",
        "52121",
        "8 rue Pierre Semard",
        "52000",
        "03 53 01 00 28",
        themes=[ADDICTIONS, SANTE_MENTALE],
        services=[
            service(
                "Consultation en addictologie",
                "Alcool, tabac, drogues, jeux : une aide gratuite et anonyme.",
                [ADDICTIONS],
                access=("rendez_vous", "telephone"),
            )
        ],
    ),
    partner(
        "cmp-langres",
        "Centre médico-psychologique de Langres",
        "CMP",
        "public",
        "52269",
        "Avenue du Capitaine Baudoin",
        "52200",
        "03 53 01 00 29",
        themes=[SANTE_MENTALE],
        services=[
            service(
                "Consultation psychologique",
                "Consultations gratuites de psychologues et psychiatres.",
                [SANTE_MENTALE],
                access=("rendez_vous",),
                area="epci",
                epci=[CC_GRAND_LANGRES],
            )
        ],
    ),
    partner(
        "mairie-langres",
        "Mairie de Langres – centre communal d’action sociale",
        "CCAS",
        "collectivite",
        "52269",
        "Place de l’Hôtel de ville",
        "52200",
        "03 53 01 00 30",
        themes=[ACCES_DROITS, DEMARCHES, LIEN_SOCIAL],
        hours="Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off",
        services=[
            service(
                "Carte d’identité et passeport",
                "Déposer sa demande de titre d’identité, sur rendez-vous.",
                [DEMARCHES],
                access=("rendez_vous",),
                area="communes",
                documents="Pré-demande en ligne\nPhoto d’identité\nJustificatif de domicile\nAncien titre",
            ),
            service(
                "Aide sociale facultative",
                "Secours d’urgence et domiciliation.",
                [ACCES_DROITS, HEBERGEMENT],
                audiences=("personnes-en-situation-durgence",),
                access=("rendez_vous",),
                area="communes",
            ),
        ],
    ),
    partner(
        "mairie-saint-dizier",
        "Mairie de Saint-Dizier – centre communal d’action sociale",
        "",
        "collectivite",
        "52448",
        "Place de l’Hôtel de ville",
        "52100",
        "03 53 01 00 31",
        themes=[DEMARCHES, ACCES_DROITS],
        hours="Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off",
        services=[
            service(
                "Carte d’identité et passeport",
                "Déposer sa demande de titre d’identité, sur rendez-vous.",
                [DEMARCHES],
                access=("rendez_vous",),
                area="communes",
            ),
        ],
    ),
    partner(
        "mairie-chaumont",
        "Mairie de Chaumont",
        "",
        "collectivite",
        "52121",
        "Place de l’Hôtel de ville",
        "52000",
        "03 53 01 00 32",
        themes=[DEMARCHES],
        hours="Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off",
        services=[
            service(
                "Carte d’identité et passeport",
                "Déposer sa demande de titre d’identité.",
                [DEMARCHES],
                access=("rendez_vous",),
                area="communes",
            )
        ],
    ),
    partner(
        "cap-emploi-52",
        "Cap emploi Haute-Marne",
        "",
        "emploi",
        "52121",
        "40 rue Decrès",
        "52000",
        "03 53 01 00 33",
        themes=[OFFRES, "trouver-un-emploi--maintien-dans-lemploi"],
        services=[
            service(
                "Emploi et handicap",
                "Trouver ou garder un emploi quand on a un handicap.",
                [OFFRES, "trouver-un-emploi--maintien-dans-lemploi"],
                audiences=("personnes-en-situation-de-handicap",),
                access=("rendez_vous",),
            )
        ],
    ),
    partner(
        "bge-52",
        "BGE Champagne – antenne de la Haute-Marne",
        "BGE",
        "association",
        "52121",
        "1 rue Lévy Alphandéry",
        "52000",
        "03 53 01 00 34",
        themes=[ENTREPRISE],
        services=[
            service(
                "Créer son entreprise",
                "Être accompagné de l’idée au lancement.",
                [ENTREPRISE],
                access=("rendez_vous",),
            )
        ],
    ),
    partner(
        "mobilite-52",
        "Plateforme mobilité de la Haute-Marne",
        "",
        "association",
        "52448",
        "7 rue Émile Giros",
        "52100",
        "03 53 01 00 35",
        themes=[MOBILITE, PERMIS, "mobilite--acceder-a-un-vehicule"],
        services=[
            service(
                "Conseil en mobilité",
                "Location solidaire de voitures et scooters, aide au permis.",
                [MOBILITE, "mobilite--acceder-a-un-vehicule"],
                audiences=("demandeurs-emploi", "jeunes"),
                access=("rendez_vous",),
                fees="payant",
            )
        ],
    ),
    partner(
        "conseillers-numeriques-52",
        "Conseillers numériques de la Haute-Marne",
        "",
        "public",
        "52121",
        "",
        "52000",
        "03 53 01 00 36",
        themes=[NUMERIQUE, EN_LIGNE],
        permanences=True,
        hours="",
        description="Des ateliers et des rendez-vous pour apprendre à se servir d’un ordinateur, d’un téléphone et "
        "des démarches en ligne.",
        services=[
            service(
                "Ateliers numériques",
                "Apprendre les bases : messagerie, internet, démarches.",
                [NUMERIQUE],
                access=("sur_place", "rendez_vous"),
            )
        ],
    ),
    partner(
        "alpha-52",
        "Association pour l’alphabétisation en Haute-Marne",
        "",
        "association",
        "52448",
        "14 rue Victor Hugo",
        "52100",
        "03 53 01 00 37",
        themes=[FRANCAIS],
        hours="Mo,We 14:00-17:00",
        services=[
            service(
                "Cours de français",
                "Apprendre à lire, écrire et parler le français.",
                [FRANCAIS],
                audiences=("personnes-exilees", "tous-publics"),
                access=("sur_place",),
            )
        ],
    ),
    partner(
        "maison-des-adolescents-52",
        "Maison des adolescents de la Haute-Marne",
        "MDA",
        "association",
        "52121",
        "20 rue Bouchardon",
        "52000",
        "03 53 01 00 38",
        themes=[SANTE_MENTALE, PARENTALITE],
        services=[
            service(
                "Écoute des jeunes et des parents",
                "Un lieu gratuit pour les 11-25 ans et leurs parents.",
                [SANTE_MENTALE, PARENTALITE],
                audiences=("jeunes", "familles"),
                access=("sur_place", "telephone", "rendez_vous"),
            )
        ],
    ),
    partner(
        "clic-langres",
        "Centre local d’information et de coordination gérontologique du Sud",
        "CLIC",
        "public",
        "52269",
        "Rue du Petit Cloître",
        "52200",
        "03 53 01 00 39",
        themes=[DEPENDANCE, AIDANTS],
        permanences=True,
        services=[
            service(
                "Information des personnes âgées",
                "Maintien à domicile, entrée en établissement, aides.",
                [DEPENDANCE, AIDANTS],
                audiences=("seniors",),
                access=("telephone", "rendez_vous"),
                area="epci",
                epci=[CC_GRAND_LANGRES, CC_SAVOIR_FAIRE],
            )
        ],
    ),
    partner(
        "caue-52",
        "Conseil d’architecture, d’urbanisme et de l’environnement de la Haute-Marne",
        "CAUE",
        "association",
        "52121",
        "Rue de Verdun",
        "52000",
        "03 53 01 00 40",
        themes=["logement-hebergement--acheter-un-logement"],
        services=[
            service(
                "Conseil aux particuliers",
                "Conseils gratuits d’un architecte pour construire ou rénover.",
                ["logement-hebergement--acheter-un-logement"],
                access=("rendez_vous",),
            )
        ],
    ),
    partner(
        "france-renov-52",
        "France Rénov’ Haute-Marne",
        "",
        "public",
        "52121",
        "Rue de la Maladière",
        "52000",
        "03 53 01 00 41",
        themes=[LOGEMENT_MAINTIEN],
        permanences=True,
        services=[
            service(
                "Conseil rénovation énergétique",
                "Aides pour isoler et changer son chauffage (MaPrimeRénov’).",
                [LOGEMENT_MAINTIEN],
                access=("telephone", "rendez_vous"),
            )
        ],
    ),
]

# Internal contacts (fictitious people): for the reception agents' view of a partner.
CONTACTS = [
    (
        "caf",
        "Claire Démo",
        "Responsable de l’accueil",
        "03 53 01 10 01",
        "Rendez-vous urgents (rupture de droits) : appeler avant 10 h ; ne pas donner ce numéro au public.",
    ),
    (
        "cpam",
        "Julien Exemple",
        "Conseiller entreprises et partenaires",
        "03 53 01 10 02",
        "Pour les dossiers de complémentaire santé solidaire bloqués.",
    ),
    (
        "france-travail-saint-dizier",
        "Sophie Fictive",
        "Conseillère référente partenaires",
        "03 53 01 10 03",
        "Présente à la Maison de Saint-Dizier le lundi après-midi.",
    ),
    ("adil-52", "Marc Illustratif", "Juriste", "03 53 01 10 04", ""),
]

# Permanences in the Maisons: (partner slug, Maison slug, room, weekday, start, end, weeks ahead).
PERMANENCES = [
    ("caf", "saint-dizier", "Bureau des permanences", 3, (9, 0), (12, 0), (0, 1, 2, 3)),
    ("cpam", "langres", "Salle des permanences", 3, (14, 0), (16, 30), (0, 2)),
    ("carsat-nord-est", "saint-dizier", "Bureau des permanences", 1, (9, 0), (12, 0), (1, 3)),
    ("msa-sud-champagne", "langres", "Salle des permanences", 4, (9, 0), (12, 0), (1,)),
    ("adil-52", "saint-dizier", "Bureau des permanences", 2, (14, 0), (17, 0), (0, 2)),
    ("cidff-52", "langres", "Salle des permanences", 2, (9, 0), (12, 0), (1, 3)),
    ("mission-locale-sud", "langres", "Salle des permanences", 0, (14, 0), (17, 0), (0, 1, 2)),
    ("cdad-52", "saint-dizier", "Bureau des permanences", 4, (9, 0), (12, 0), (2,)),
]
