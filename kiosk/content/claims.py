"""Claims the content brief forbids (its section 3.14 and rules 1.1, 1.3, 1.4), per language.

Each rule is a family of phrasings of one forbidden claim. The checker reads every sentence a
patient can see (topics, their section buttons, the crisis screen, the glossary and the pack's
own lines) and reports each hit with where it is and the whole sentence, so a writer can fix
the sentence rather than dodge a word.

The one rule that needs more than a pattern: "FDA-approved for depression" is forbidden when
said of ketamine, and true when said of esketamine (Spravato). A sentence is flagged only when
an approval phrase, a depression word and the word ketamine itself (not esketamine) sit in the
same clause, with no negation in that clause.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from kiosk.content.model import CRISIS_TOPIC_ID, Pack
from kiosk.text import sentences

Matcher = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Rule:
    family: str
    why: str
    matches: Matcher


@dataclass(frozen=True, slots=True)
class ClaimHit:
    where: str  # a topic id, "crisis", "pack" or "glossary:<term-id>"
    family: str
    why: str
    sentence: str

    def __str__(self) -> str:
        return f'{self.where}: {self.family} ({self.why}): "{self.sentence}"'


def _any(*patterns: str) -> Matcher:
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    return lambda sentence: any(p.search(sentence) for p in compiled)


def _unless_negated(negation: str, *patterns: str) -> Matcher:
    """Matches a pattern unless a negation comes before it in the sentence: "It does not help
    everyone" is the balanced message, "It helps everyone" the forbidden claim."""
    compiled = [re.compile(p, re.IGNORECASE) for p in patterns]
    negation_re = re.compile(negation, re.IGNORECASE)

    def matches(sentence: str) -> bool:
        for pattern in compiled:
            for match in pattern.finditer(sentence):
                if not negation_re.search(sentence, 0, match.start()):
                    return True
        return False

    return matches


_EN_NEGATION = r"\bnot\b|n['’]t\b|\bnever\b|\bno\b"
_ES_NEGATION = r"\bno\b|\bnunca\b|\bni\b"


# -- "ketamine is FDA-approved for depression" -------------------------------------------------

_CLAUSE_BREAK = re.compile(
    r"[,;:()–—]|\s-\s|\b(?:but|while|whereas|unlike|pero|mientras|a diferencia)\b", re.IGNORECASE
)


def _approval_matcher(ketamine: str, approval: str, condition: str, negation: str) -> Matcher:
    ketamine_re = re.compile(ketamine, re.IGNORECASE)
    approval_re = re.compile(approval, re.IGNORECASE)
    condition_re = re.compile(condition, re.IGNORECASE)
    negation_re = re.compile(negation, re.IGNORECASE)

    def matches(sentence: str) -> bool:
        for clause in _CLAUSE_BREAK.split(sentence):
            if (
                ketamine_re.search(clause)
                and approval_re.search(clause)
                and condition_re.search(clause)
                and not negation_re.search(clause)
            ):
                return True
        # "Ketamine, an old anesthetic, is FDA-approved for depression": the subject sits in
        # an earlier clause. Catch it when the sentence names no esketamine at all.
        return bool(
            ketamine_re.search(sentence)
            and not re.search(r"eske?tamin", sentence, re.IGNORECASE)
            and approval_re.search(sentence)
            and condition_re.search(sentence)
            and not negation_re.search(sentence)
        )

    return matches


_EN_KETAMINE_APPROVED = _approval_matcher(
    ketamine=r"(?<![\w-])ketamine\b",
    approval=r"\bFDA[- ]approv|\bapproved by the FDA\b"
    r"|\bFDA\)? (?:has |have )?(?:approved|approves|cleared)\b|\bFDA approval\b",
    condition=r"\bdepress|\bmood\b|\bmental\b|\bpsychiatric\b|\bPTSD\b|\banxiety\b",
    negation=r"\bnot\b|n['’]t\b|\bnever\b|\bno\b|\bonly\b",
)
_ES_KETAMINE_APPROVED = _approval_matcher(
    ketamine=r"(?<![\w-])ketamina\b",
    approval=r"\baprobad[oa]s? (?:por|de) la FDA\b|\bla FDA (?:ha )?aprob[óo]\b"
    r"|\(FDA\) (?:la |lo )?(?:ha )?aprob[óo]\b"
    r"|\baprobaci[óo]n de la FDA\b|\bFDA la (?:ha )?aprob",
    condition=r"\bdepresi|\b[áa]nimo\b|\bmental\b|\bpsiqui[áa]tric|\bTEPT\b|\bansiedad\b",
    negation=r"\bno\b|\bnunca\b|\bsolo\b|\bsólo\b|\bsolamente\b|\bni\b",
)

ENGLISH_RULES: tuple[Rule, ...] = (
    Rule("cure", "no treatment here is a cure", _any(r"\bcur(?:e|es|ed|ing)\b")),
    Rule("miracle", "promotional", _any(r"\bmiracl", r"\bmiraculous")),
    Rule("breakthrough", "promotional", _any(r"\bbreak-?throughs?\b", r"\brevolutionary\b")),
    Rule(
        "no side effects",
        "side effects are common",
        _any(
            r"\bno (?:\w+ )?(?:side[- ]effects?|downsides?)\b",
            r"\bwithout (?:any )?(?:side[- ]effects?|downsides?)\b",
            r"\bfree (?:of|from) (?:side[- ]effects?|risks?)\b",
            r"\bno (?:need to )?worry about side[- ]effects?\b",
            r"\bno (?:\w+[- ])?(?:term )?risks?\b",
        ),
    ),
    Rule(
        "side effects are rare",
        "side effects are common",
        _any(
            r"\bside[- ]effects? (?:are|is|were) (?:very |quite |extremely )?"
            r"(?:rare|uncommon|unusual|minimal|few)\b",
            r"\brare(?:ly)? (?:to )?(?:have|has|cause|causes|get) side[- ]effects?\b",
            r"\bfew side[- ]effects?\b",
            r"\b(?:tolerate|tolerated) (?:it |ketamine )?(?:very )?well\b",
        ),
    ),
    Rule(
        "very safe",
        "long-term safety is not well known",
        _any(
            r"\b(?:very|completely|totally|perfectly|entirely|extremely|100 ?%|absolutely|"
            r"always|proven|100 percent)\s+safe\b",
            r"\bproven to be safe\b",
            r"\b(?:safety|effectiveness|efficacy)\b[^.]{0,40}\bwell[- ]established\b",
        ),
    ),
    Rule(
        "most insurance pays",
        "insurers usually do not cover IV ketamine for depression",
        _any(
            r"\bmost (?:health )?(?:insurance|insurers?|insurance (?:plans|companies)|plans)\b",
            r"\binsurance (?:usually|always|generally|normally) (?:pays?|covers?)\b",
            r"\bcovered by (?:most|all) \w+",
        ),
    ),
    Rule(
        "works for everyone",
        "about half of people respond in larger studies",
        _unless_negated(
            _EN_NEGATION,
            r"\bwork(?:s|ed)? (?:for|in) (?:everyone|everybody|all\b|anyone)",
            r"\bhelp(?:s|ed)? (?:everyone|everybody|all patients)\b",
            r"\b(?:everyone|everybody) (?:responds|improves|gets better|feels better)\b",
            r"\bmost people (?:succeed|respond|get better|get relief|feel better)\b",
            r"\b(?:high|great|excellent) success rate\b",
            r"\banyone can (?:have|get|use) it\b",
            r"\bsafe for (?:everyone|everybody|anyone|all)\b",
        ),
    ),
    Rule(
        "ketamine FDA-approved for depression",
        "ketamine is approved only as an anesthetic",
        _EN_KETAMINE_APPROVED,
    ),
    Rule(
        "main use is depression",
        "its only approved use is anesthesia",
        _any(
            r"\b(?:main|primary|chief) use\b",
            r"\bmainly (?:used )?(?:as an antidepressant|for depression|to treat depression)\b",
            r"\bused mainly (?:as an antidepressant|for depression)\b",
        ),
    ),
    Rule(
        "committed suicide",
        "safe messaging: say 'died by suicide'",
        _any(r"\bcommit(?:s|ted|ting)? suicide\b", r"\bsuicide was committed\b"),
    ),
    Rule(
        "prevents suicide",
        "no study read shows ketamine prevents suicide",
        _any(
            r"\bprevent(?:s|ed|ing)? suicid",
            r"\bsuicide prevention treatment\b",
            r"\b(?:stop|stops|keep|keeps|prevent|prevents)\s+(?:people|you|someone|patients)\s+"
            r"from\s+(?:acting|attempting|dying|ending)",
            r"\b(?:lower|lowers|reduce|reduces|cut|cuts)\s+(?:the\s+)?(?:risk\s+of\s+)?suicide\b",
            r"\bsuicide (?:risk|attempts|deaths) (?:go|goes|went) down\b",
        ),
    ),
    Rule(
        "outdated prevalence figure",
        "the kiosk needs no prevalence number; 16 million is outdated",
        _any(
            r"\b(?:16|sixteen) million\b",
            r"\b\d+(?:[.,]\d+)? million (?:americans|adults|people)\b",
        ),
    ),
    Rule(
        "months, not days",
        "benefit often fades within days to weeks",
        _any(
            r"\bmonths,? not days\b",
            r"\brelief (?:for|that lasts|lasting) months\b",
            r"\blast(?:s|ing)? longer than (?:other |standard |most )?antidepressants\b",
            r"\blong[- ]lasting (?:relief|results|benefits?)\b",
            r"\blasting relief\b",
        ),
    ),
    Rule(
        "underlying cause",
        "unsupported",
        _any(r"\bunderlying causes?\b", r"\broot causes?\b"),
    ),
    Rule(
        "bare percentage",
        "give numbers as plain frequencies with who was studied",
        _any(r"\d\s*%", r"\b\d+(?:\.\d+)?\s*(?:percent|per cent)\b"),
    ),
    Rule(
        "raises dopamine or serotonin",
        "unverified",
        _any(
            r"\b(?:rais|boost|increas|lift|elevat)\w*\s+(?:\w+\s+){0,3}?(?:dopamine|serotonin)",
            r"\b(?:dopamine|serotonin)\s+(?:levels\s+)?(?:go|goes|rise|rises)\s+up\b",
            r"\b(?:more|higher)\s+(?:dopamine|serotonin)\b",
        ),
    ),
    Rule(
        "works only through metabolites",
        "a contested mouse finding, not settled fact",
        _any(
            r"\bdo(?:es)?(?:n['’]t| not) work directly\b",
            r"\bworks? (?:only )?(?:through|via|by way of) (?:its )?"
            r"(?:metabolites?|by-?products?)\b",
        ),
    ),
    Rule(
        "too little raises depression",
        "unsupported",
        _any(r"\btoo little\b[^.]{0,40}\b(?:depress|worse)"),
    ),
    Rule(
        "benefit six weeks after",
        "the study could not be identified",
        _any(r"\b(?:6|six) weeks after (?:the )?(?:last|final)\b"),
    ),
    Rule(
        "promotional wording",
        "the kiosk does not sell",
        _any(
            r"\bfree (?:consultation|quiz|screening)\b",
            r"\bconvenient\b",
            r"\bpainless\b",
            r"\bspa\b",
            r"\byou['’]ll feel great\b",
            r"\bfinally (?:bring|brings|get) relief\b",
        ),
    ),
)

SPANISH_RULES: tuple[Rule, ...] = (
    Rule("cure", "no treatment here is a cure", _any(r"\bcur(?:a|an|ar|ará|ó|ado|ada|ación)\b")),
    Rule("miracle", "promotional", _any(r"\bmilagr")),
    Rule(
        "breakthrough",
        "promotional",
        _any(r"\brevolucionari", r"\bavance (?:enorme|histórico|decisivo)\b"),
    ),
    Rule(
        "no side effects",
        "side effects are common",
        _any(
            r"\bsin (?:ningún |ningun )?"
            r"(?:efectos? secundarios?|efectos? adversos?|desventajas?)\b",
            r"\bno (?:tiene|causa|produce|hay) (?:ningún )?efectos? (?:secundarios?|adversos?)\b",
            r"\blibre de (?:efectos|riesgos?)\b",
            r"\bsin (?:ningún |ningun )?riesgos?\b",
        ),
    ),
    Rule(
        "side effects are rare",
        "side effects are common",
        _any(
            r"\befectos? (?:secundarios?|adversos?) (?:son|es|fueron) (?:muy )?"
            r"(?:raros?|poco (?:comunes|frecuentes)|mínimos|escasos)\b",
            r"\bpocos efectos (?:secundarios|adversos)\b",
            r"\bse tolera (?:muy )?bien\b",
        ),
    ),
    Rule(
        "very safe",
        "long-term safety is not well known",
        _any(
            r"\b(?:muy|completamente|totalmente|perfectamente|absolutamente|100 ?%|siempre|"
            r"comprobadamente|probadamente)\s+segur[oa]s?\b",
            r"\b(?:se ha )?(?:probado|demostrado|comprobado) que es segur[oa]\b",
            r"\b(?:seguridad|eficacia)\b[^.]{0,40}\bbien establecid",
        ),
    ),
    Rule(
        "most insurance pays",
        "insurers usually do not cover IV ketamine for depression",
        _any(
            r"\b(?:la )?mayor[íi]a de (?:los |las )?"
            r"(?:seguros|aseguradoras|planes|compañías de seguros)\b",
            r"\bel seguro (?:casi )?siempre (?:paga|cubre)\b",
        ),
    ),
    Rule(
        "works for everyone",
        "about half of people respond in larger studies",
        _unless_negated(
            _ES_NEGATION,
            r"\bfunciona (?:para|en|con) (?:todos|todas|todo el mundo|cualquiera)\b",
            r"\bsegur[oa] para (?:todos|todas|todo el mundo|cualquiera)\b",
            r"\bayuda a (?:todos|todas|todo el mundo)\b",
            r"\b(?:todos|todo el mundo) (?:mejoran?|responden?)\b",
            r"\bla mayor[íi]a de las personas (?:mejora|mejoran|responde|responden|tiene éxito)\b",
            r"\b(?:alta|gran) tasa de éxito\b",
        ),
    ),
    Rule(
        "ketamine FDA-approved for depression",
        "ketamine is approved only as an anesthetic",
        _ES_KETAMINE_APPROVED,
    ),
    Rule(
        "main use is depression",
        "its only approved use is anesthesia",
        _any(
            r"\buso (?:principal|más común)\b",
            r"\bprincipal uso\b",
            r"\bprincipalmente (?:como antidepresivo|para (?:tratar )?la depresi[óo]n)\b",
        ),
    ),
    Rule(
        "committed suicide",
        "safe messaging: say 'murió por suicidio'",
        _any(r"\bcomet(?:ió|er|e|en|ieron|ido) (?:el )?suicidio\b", r"\bse suicid(?:ó|aron)\b"),
    ),
    Rule(
        "prevents suicide",
        "no study read shows ketamine prevents suicide",
        _any(
            r"\b(?:previene|previenen|prevenir|evita|evitan|evitar|impide|impiden)\s+(?:el\s+|los\s+)?suicidi",
            r"\b(?:impide|evita|impiden|evitan)\s+que\s+(?:las\s+personas|la\s+gente|usted|alguien)\s+"
            r"(?:actúe|actúen|intente|intenten|muera|mueran)",
            r"\b(?:reduce|reducen|baja|bajan|disminuye|disminuyen)\s+(?:el\s+)?(?:riesgo\s+de\s+)?suicidio\b",
        ),
    ),
    Rule(
        "outdated prevalence figure",
        "the kiosk needs no prevalence number; 16 million is outdated",
        _any(
            r"\b(?:16|dieciséis) millones\b",
            r"\b\d+(?:[.,]\d+)? millones de (?:estadounidenses|adultos|personas)\b",
        ),
    ),
    Rule(
        "months, not days",
        "benefit often fades within days to weeks",
        _any(
            r"\bmeses,? no d[íi]as\b",
            r"\balivio (?:durante|por|que dura) meses\b",
            r"\bdura(?:n)? más que (?:otros |los )?antidepresivos\b",
            r"\balivio duradero\b",
        ),
    ),
    Rule(
        "underlying cause",
        "unsupported",
        _any(
            r"\bcausas? (?:de fondo|subyacentes?|ra[íi]z)\b",
            r"\bla ra[íi]z (?:de|del) (?:la|problema)\b",
        ),
    ),
    Rule(
        "bare percentage",
        "give numbers as plain frequencies with who was studied",
        _any(r"\d\s*%", r"\b\d+(?:[.,]\d+)?\s*por ?ciento\b"),
    ),
    Rule(
        "raises dopamine or serotonin",
        "unverified",
        _any(
            r"\b(?:aumenta|eleva|sube|incrementa|aumentan|elevan|suben)\w*\s+(?:\w+\s+){0,3}?"
            r"(?:dopamina|serotonina)",
            r"\bm[áa]s (?:dopamina|serotonina)\b",
        ),
    ),
    Rule(
        "works only through metabolites",
        "a contested mouse finding, not settled fact",
        _any(
            r"\bno (?:funciona|actúa) (?:de forma |de manera )?directa",
            r"\b(?:funciona|actúa) (?:solo |sólo )?(?:a través|por medio) de "
            r"(?:sus )?metabolitos\b",
        ),
    ),
    Rule(
        "too little raises depression",
        "unsupported",
        _any(r"\bmuy poca\b[^.]{0,40}\b(?:depresi|peor)"),
    ),
    Rule(
        "benefit six weeks after",
        "the study could not be identified",
        _any(r"\b(?:6|seis) semanas después (?:de )?(?:la )?(?:última|final)\b"),
    ),
    Rule(
        "promotional wording",
        "the kiosk does not sell",
        _any(
            r"\b(?:consulta|evaluación|prueba) gratis\b",
            r"\bconsulta gratuita\b",
            r"\bindolor[oa]?\b",
            r"\bse sentirá (?:genial|de maravilla)\b",
        ),
    ),
)

RULES: dict[str, tuple[Rule, ...]] = {"en": ENGLISH_RULES, "es": SPANISH_RULES}


def rules_for(language: str) -> tuple[Rule, ...]:
    """The rules for a language. Unknown languages get the English rules (FDA, 988 and
    numbers are written the same way), which is better than none."""
    return RULES.get(language.split("_")[0].split("-")[0].lower(), ENGLISH_RULES)


def check_text(where: str, text: str, rules: Sequence[Rule]) -> list[ClaimHit]:
    """Every sentence of text that makes a forbidden claim, once per rule it breaks."""
    hits: list[ClaimHit] = []
    for span in sentences(text):
        sentence = span.of(text)
        for rule in rules:
            if rule.matches(sentence):
                hits.append(ClaimHit(where, rule.family, rule.why, sentence))
    return hits


def pack_texts(pack: Pack) -> Iterable[tuple[str, str]]:
    """(where, text) for everything a patient can read in a pack."""
    yield (
        "pack",
        "\n".join(
            [pack.title, pack.welcome, pack.disclaimer, pack.care_team_prompt, pack.start_button]
        ),
    )
    for topic in pack.topics:
        yield topic.id, "\n".join([topic.short_title, topic.summary, topic.plain_text])
    yield CRISIS_TOPIC_ID, "\n".join([pack.crisis.summary, pack.crisis.plain_text])
    for term in pack.glossary.values():
        yield f"glossary:{term.id}", f"{term.term}\n{term.definition}"


def check_pack(pack: Pack) -> list[ClaimHit]:
    """Every forbidden claim in a pack, each with where it is and the sentence."""
    rules = rules_for(pack.language)
    return [hit for where, text in pack_texts(pack) for hit in check_text(where, text, rules)]
