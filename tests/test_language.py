"""Which titles count as English (and may be embedded by an English-only model as they are)."""

import pytest

from jobtopics.language import is_english


@pytest.mark.parametrize("title", ["Data Analyst", "Senior Software Engineer | Speaker", "Head of Data", "AI Engineer",
                                   "Acute Care Nurses", "Managing Director", "UX Designer", "CEO", "DevOps Engineer",
                                   "Insurance Appraisers, Auto Damage", "", "🚀", "SENIOR DATA ANALYST", "SAP Consultant"])
def test_english_titles(title):
    assert is_english(title)


@pytest.mark.parametrize("title", ["Analista de datos", "Ingénieure logiciel", "Senior Softwareentwickler",
                                   "Kierownik sprzedaży", "Chef de projet", "Directeur commercial",
                                   "Vývojář softwaru", "Projektledare", "Zdravotní sestra", "Dateningenieur",
                                   "ANALISTA DE DATOS", "JEFE DE VENTAS", "JEFE DE OBRA", "经理", "Менеджер по продажам",
                                   # feminine forms too rare for the word lists, read as their masculine form
                                   "Desarrolladora de software", "Sviluppatrice software", "Développeuse web"])
def test_local_language_titles(title):
    assert not is_english(title)
