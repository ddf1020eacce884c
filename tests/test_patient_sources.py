"""What the sources card shows a patient: only sources they can trust (the brief's [A], and an
[S] only where no [A] carries the fact), each by its canonical reference. Never a commercial
[C] page, nor the mirror, reprint site or development server a document was read through.

Every topic in every language is walked through the real kiosk window: what is checked is
the text on the card, not what the content files say."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from kiosk.content.model import Reliability
from tests.conftest import ContentFolder, topic_text

ROOT = Path(__file__).resolve().parent.parent
SOURCES: dict[str, dict[str, Any]] = tomllib.loads(
    (ROOT / "content" / "sources.toml").read_text(encoding="utf-8")
)
BY_CITATION = {entry["citation"]: key for key, entry in SOURCES.items()}
LANGUAGES = ("en", "es")

# Where the brief's documents were actually read: mirrors and reprint sites, a journal's
# development server, a quiz page, a drug-culture site, blogs, other clinics' pages. None of
# them may reach a patient, by address or by name.
NEVER_SHOWN = (
    "drugs-library.com",
    "fda.report",
    "drugs.com",
    "inpharmd",
    "oncologynurseadvisor",
    "120ty.net",
    "mdedge",
    "medscape",
    "blogspot",
    "zendy",
    "lexichronic",
    "psychiatrist.com",
    "scribd",
    "semanticscholar",
    "researcher.life",
    "rug.nl",
    "issuu",
    "erowid",
    "moreblossom",
    "texasspravato",
    "altasano",
    "ketamineclinics",
    "jacksonholeketamineclinic",
    "fairsquaremedicare",
    "healthyplace",
    "maestrodatabase",
    "silive",
    "financetom",
    "news-medical",
    "scrippsnews",
    "openscience.ink",
    "grafiti",
)

# A shown address is the cited document's own: the literature databases, the publisher, the
# regulator, the professional body or the REMS program. A new host needs a reviewer's yes.
CANONICAL_HOSTS = {
    "pubmed.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov",
    "doi.org",
    "www.nature.com",
    "link.springer.com",
    "psychiatryonline.org",
    "ajp.psychiatryonline.org",
    "journal.frontiersin.org",
    "irp.nih.gov",
    "www.spravatorems.com",
    "www.apna.org",
    "aana.com",
    "www.asra.com",
}

# The [S] sources patients are shown: each carries a fact for which the brief (section 3)
# names no [A] source. Adding one means checking the brief first.
SECONDARY_SHOWN = {
    "988": "988 Lifeline details: only partner pages were read",
    "FDA-KET23": "the 2023 compounded-ketamine warning; misuse and dependence",
    "FDA-KET22": "the 2022 nasal-spray alert",
    "ASA-2025": "anesthesia experts: only trained staff should give it",
    "FDA-ESK19": "esketamine's common side effects",
    "ESK-2020": "the 2020 esketamine approval",
    "ESK-2025": "the 2025 monotherapy report",
    "BAHJI-2021": "IV ketamine vs esketamine (indirect comparison)",
    "OPENSCI-2025": "IV ketamine vs esketamine (head-to-head meta-analysis)",
    "AP-2018": "insurance often does not pay",
}

CITATION_LINE = re.compile(r"^\d+\. (.+)$", re.MULTILINE)
URL = re.compile(r"https?://\S+")


def cards(kiosk: Any) -> Iterator[tuple[str, Any, str]]:
    """(language/topic, topic, the text on its sources card) for every topic, every language."""
    window = kiosk.window
    for language in LANGUAGES:
        window.set_language(language)
        assert window.pack.language == language
        for topic in window.pack.topics:
            window.open_topic(topic.id)
            window.open_sources()
            assert window.overlay.content is window.sources
            yield f"{language}/{topic.id}", topic, window.sources.text.text()
            window.overlay.dismiss()


@pytest.fixture
def bundled(make_kiosk: Any) -> Any:
    return make_kiosk()  # the bundled content


def test_no_source_shown_to_a_patient_is_commercial(bundled: Any) -> None:
    commercial = {k: e for k, e in SOURCES.items() if e["reliability"] == "C"}
    assert commercial, "the check needs the brief's commercial pages in sources.toml"
    seen = 0
    for where, topic, text in cards(bundled):
        shown = CITATION_LINE.findall(text)
        assert shown, f"{where} shows no source"
        for citation in shown:
            key = BY_CITATION.get(citation)
            assert key is not None, f"{where}: {citation!r} is not a citation in sources.toml"
            assert SOURCES[key]["reliability"] != "C", f"{where} shows commercial source {key}"
        for key, entry in commercial.items():
            assert entry["citation"] not in text, f"{where} shows commercial source {key}"
        # The card shows exactly what the model decides a patient sees.
        pack = bundled.window.pack
        assert shown == [s.citation for s in pack.patient_sources(topic)], where
        seen += 1
    assert seen == 2 * 12


def test_shown_citations_are_canonical_never_a_mirror(bundled: Any) -> None:
    for where, _topic, text in cards(bundled):
        lowered = text.lower()
        for name in NEVER_SHOWN:
            assert name not in lowered, f"{where} shows {name}"
        for citation in CITATION_LINE.findall(text):
            key = BY_CITATION[citation]
            entry = SOURCES[key]
            for read in entry.get("read_via", []):
                if read != entry.get("url"):
                    assert read not in text, f"{where} shows where {key} was read: {read}"
            # A paper's year is in its reference: APA-2017 says 2017.
            year = re.search(r"-((?:19|20)\d\d)$", key)
            if year:
                assert year.group(1) in citation, f"{where}: {key} cited without its year"
        for url in URL.findall(text):
            assert urlsplit(url).hostname in CANONICAL_HOSTS, f"{where} shows {url}"


def test_a_label_is_cited_as_the_fda_label_itself() -> None:
    assert "FDA prescribing information" in SOURCES["KETALAR"]["citation"]
    assert "FDA prescribing information" in SOURCES["ESK-PI"]["citation"]
    assert SOURCES["KETALAR"].get("url", "") == ""  # only mirrors of it were read
    assert SOURCES["ESK-PI"].get("url", "") == ""


def test_secondary_sources_are_shown_only_for_facts_no_authority_carries(bundled: Any) -> None:
    shown = set()
    for _where, topic, _text in cards(bundled):
        for source in bundled.window.pack.patient_sources(topic):
            if source.reliability is Reliability.SECONDARY:
                shown.add(source.key)
    assert shown <= set(SECONDARY_SHOWN), sorted(shown - set(SECONDARY_SHOWN))


@pytest.mark.expected_logs("a commercial [C] source")
def test_the_card_leaves_out_a_commercial_source_a_topic_cites(
    make_kiosk: Any, content: ContentFolder
) -> None:
    # A clinic's own content folder may cite one; `content check` reports it, and the
    # card still never shows it.
    (content.root / "sources.toml").write_text(
        '[KETALAR]\nreliability = "A"\ncitation = "Ketalar label."\n\n'
        '[CLINIC]\nreliability = "C"\ncitation = "Another clinic\'s prices."\n'
        'url = "https://clinic.example/prices"\n',
        encoding="utf-8",
    )
    content.write(
        "en", "alpha.md", topic_text("alpha", 1).replace('["KETALAR"]', '["CLINIC", "KETALAR"]')
    )
    window = make_kiosk(content_dir=content.root).window
    window.open_topic("alpha")
    window.open_sources()
    text = window.sources.text.text()
    assert CITATION_LINE.findall(text) == ["Ketalar label."]
    assert "Another clinic" not in text and "clinic.example" not in text


MARKS = {
    "en": "We read this second-hand, in a report or summary.",
    "es": "Lo leímos de segunda mano, en un informe o un resumen.",
}


def test_a_secondary_source_is_marked_as_read_second_hand(bundled: Any) -> None:
    marked = 0
    for where, _topic, text in cards(bundled):
        mark = MARKS[where.split("/")[0]]
        lines = text.splitlines()
        for n, line in enumerate(lines):
            match = CITATION_LINE.match(line)
            if match is None:
                continue
            rest = []  # the lines under this citation, up to the next one
            for after in lines[n + 1 :]:
                if CITATION_LINE.match(after):
                    break
                rest.append(after.strip())
            secondary = SOURCES[BY_CITATION[match.group(1)]]["reliability"] == "S"
            assert (mark in rest) == secondary, f"{where}: {match.group(1)}"
            marked += secondary
    assert marked > 0
