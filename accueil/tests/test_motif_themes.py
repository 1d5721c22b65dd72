from accueil.models import Motif
from accueil.motif_themes import MOTIF_THEMES, directory_url, themes_for
from demo import data
from partenaires.models import Theme
from partenaires.themes import themes_sync


def test_every_theme_code_exists_in_the_directorys_list():
    themes_sync()
    known = set(Theme.objects.values_list("code", flat=True))
    for label, codes in MOTIF_THEMES.items():
        assert set(codes) <= known, label


def test_the_reasons_of_the_demonstration_are_the_ones_mapped():
    assert set(MOTIF_THEMES) <= set(data.MOTIFS)


def test_a_reason_leads_to_the_directory_filtered_on_its_theme():
    themes_sync()
    logement = Motif(label="Logement")
    assert [theme.code for theme in themes_for(logement)] == ["logement-hebergement"]
    assert directory_url(logement) == "/partenaires/?theme=logement-hebergement"
    assert directory_url(Motif(label="Autre demande")) is None
