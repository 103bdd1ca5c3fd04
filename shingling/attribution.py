"""Credit lines and bylines that name a wire agency, with exact spans into the text as given.

Answers "is the wire credited, and which one?". Each pattern family below finds one kind of credit; the
agencies inside a credit are then read with `WireRegistry.mentions`, which knows the names, their case
rules and what vetoes them ("Thomson Reuters", "AP Biology").

Kinds, and what each means:

- ``dateline``: "LONDON (Reuters) -", "BEIJING, Jan 27 (Xinhua) --", "(AFP) -", "New Delhi, Jan 27 (PTI) The...",
  "MOSCOW, January 27. /TASS/." The story is the agency's copy.
- ``reporting_by`` / ``additional_reporting``: credit blocks, "Reporting by X; Editing by Y",
  "Additional reporting by Reuters", several lines read as one. A block naming only people is reported
  with agency None: it is a credit, but the text does not say whose.
- ``contributed``: "The Associated Press contributed to this report.", "Material from Reuters was used...".
- ``with_agency``: "- with AFP", "(with Reuters)", "With inputs from PTI", "- with agencies".
- ``according_to``: running text that cites the agency's reporting: "according to Reuters", "Xinhua reported",
  "told Reuters" (Reuters interviewed them: its reporting), "a Reuters tally", "Reuters could not
  independently verify", "..., Xinhua said." Not counted: "Reuters said it..." (may be the company
  speaking), "AP reported record revenue" (the company's results), mentions inside quotations, and
  ambiguous abbreviations unless "news agency" follows ("told the PA news agency", not "told PA").
- ``source_line``: "Source: Xinhua", "Sources: Reuters, AP", "...he said. - AFP", a line that is only "(Reuters)".
- ``image_credit``: "Photo: Reuters", "REUTERS/Kim Kyung-Hoon", "(AP Photo/Evan Vucci)", "AFP via Getty Images".
  The picture is the agency's; this says nothing about the text.
- ``copyright``: "© Reuters 2022", "Copyright 2024 The Associated Press. All rights reserved."
- ``byline``: "By Reuters", "By JOSH BOAK, Associated Press", "By PA Reporter".

Credits are read in English and, in the phrasings newsrooms use with AFP, dpa, EFE, ANSA, Lusa and the
agencies they carry, in French, German, Spanish, Italian and Portuguese: "(Avec AFP)", "selon l'AFP", "a déclaré
à l'AFP", "Mit Material von dpa", "laut dpa", "der Nachrichtenagentur Reuters zufolge", "Con información de EFE",
"dijo a EFE", "secondo l'ANSA", "disse à Lusa", "Quelle: dpa", "Foto: EFE", "dpa/AFP/jok". Urdu credits name
the agency in its Urdu form ("اے پی پی کے مطابق"). Chinese, Japanese and Korean write no spaces between words, or
glue particles to them: there a name needs no word boundary next to a CJK letter ("据新华社报道", "로이터통신에"),
and the phrasings of these languages ("新华社北京12月7日电", "【ワシントン共同】", "(서울=연합뉴스)") are searched in
the lines around a name. Texts without CJK letters are read by patterns compiled without any of this (`_compiled`).

    >>> [(a.agency, a.kind, a.text) for a in find_attributions("LONDON (Reuters) - Shares fell.\\nPhoto: AFP")]
    [('reuters', 'dateline', 'LONDON (Reuters) -'), ('afp', 'image_credit', 'Photo: AFP')]
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

import regex

from shingling.comparison import Span
from shingling.wires import CJK, AgencyMention, WireRegistry, has_cjk

AttributionKind = Literal[
    "dateline",
    "reporting_by",
    "additional_reporting",
    "contributed",
    "with_agency",
    "according_to",
    "source_line",
    "image_credit",
    "copyright",
    "byline",
]

KINDS: tuple[AttributionKind, ...] = (
    "copyright",
    "dateline",
    "additional_reporting",
    "reporting_by",
    "contributed",
    "byline",
    "with_agency",
    "image_credit",
    "source_line",
    "according_to",
)
"""Every kind, most specific first: where two credits of one agency overlap, the earlier kind is kept."""

TEXT_KINDS: frozenset[AttributionKind] = frozenset(KINDS) - {"image_credit"}
"""Kinds that credit the agency for the text (an image credit is about the picture only)."""


@dataclass(frozen=True)
class Attribution:
    """One credit: the agency id (None for a credit block naming only people), where, what kind, the text."""

    agency: str | None
    span: Span
    kind: AttributionKind
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"agency": self.agency, "kind": self.kind, "span": self.span.to_dict(), "text": self.text}


def find_attributions(text: str, registry: WireRegistry | None = None) -> list[Attribution]:
    """Every agency credit in `text`, sorted by span, then kind and agency. Deterministic."""
    cjk = has_cjk(text)
    compiled = _compiled(registry or WireRegistry.default(), cjk)
    mentions = compiled.registry.mentions(text, everything=True, cjk=cjk)
    found = list(compiled.blocks(text, mentions))
    if not mentions:
        return _resolve(found)
    scripts = {needs: _SCRIPT[needs].search(text) is not None for needs in _SCRIPT} | {CJK_TEXT: cjk}
    searched = [f for f in compiled.searched if scripts.get(f.family.needs, True)]
    for window in _windows(text, mentions):
        for family in searched:
            found.extend(family.find(text, window, mentions))
    anchored = [f for f in compiled.anchored if scripts.get(f.family.needs, True)]
    reaches = {(f.family.anchor_words, f.family.anchor_chars) for f in anchored}
    anchors = {reach: _anchors(text, mentions, *reach) for reach in reaches}
    for family in anchored:
        found.extend(family.find(text, anchors[family.family.anchor_words, family.family.anchor_chars], mentions))
    return _resolve(found)


def credited_agencies(attributions: Iterable[Attribution], *, images: bool = False) -> list[str]:
    """The agencies credited for the text (and for images too with `images`), sorted, without None."""
    kinds = set(KINDS) if images else TEXT_KINDS
    return sorted({a.agency for a in attributions if a.agency is not None and a.kind in kinds})


# -- building blocks -------------------------------------------------------------------------------------------
# Templates are VERBOSE patterns. <AG> stands for any agency's name, <AGS> for a list ("Reuters, AP and AFP"):
# a plain alternation of the registry's names, cheap to match. Which agency a credit names, and whether that
# name counts, comes from the mentions found once per text by `WireRegistry.mentions` (guards against longer
# names, ambiguous abbreviations, vetoes).

H = r"[^\S\r\n]"  # horizontal space: NBSP and tabs included, never a line break
SOL = r"(?<![^\r\n])"  # start of a line, whatever the newline style
EOL = r"(?![^\r\n])"  # end of a line
DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]"
TERM = rf"(?:{DASH}{{1,2}}|\.{DASH}{{1,2}}|:)"
THE = rf"(?:(?:[Tt]he|THE){H}+)"
LINE_BREAK = r"(?:\r\n|\r|\n)"
MONTH = (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|SEPT|OCT|NOV|DEC"
    r"|ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic|Ene|Abr|Ago|Dic|jan|fev|fév|Fév|avr|Avr|mai|Mai|juin|Juin"
    r"|juil|Juil|août|Août|déc|Déc|gen|Gen|mag|Mag|giu|Giu|lug|Lug|set|Set|ott|Ott|out|Out|dez|Dez|okt|Okt|mär|Mär"
    r"|GEN|MAG|GIU|LUG|AGO|SET|OTT|DIC|янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)[\p{L}]*\.?"
)
DATE = rf"(?:{MONTH}{H}+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:{H}+{MONTH}(?:{H}+\d{{4}})?)?)"
PLACE_WORD = r"(?:\p{Lu}[\p{L}\p{M}'’.\-/]*|\[\p{L}[\p{L} ]*\])"
PLACE = rf"(?:{PLACE_WORD}(?:(?:{H}*[,.]{H}*|{H}+)(?:{PLACE_WORD}|{DATE})){{0,6}})"
"""A dateline place, maybe a state and a date: "BEIJING, Jan 27", "HARRISBURG, Pa.", "New Delhi [India], Jan 27"."""
CAPS_PLACE = rf"(?:\p{{Lu}}{{2,}}(?:(?:{H}|-)\p{{Lu}}{{2,}}){{0,3}}(?:{H}*[,.]{H}*(?:{PLACE_WORD}[,.]?{H}*)?{DATE})?)"
DATED_PLACE = rf"(?:{PLACE_WORD}(?:{H}+{PLACE_WORD}){{0,3}}{H}*[,.]{H}*{DATE})"
ARABIC_WORD = r"(?:\p{Arabic}[\p{Arabic}\p{M}]*)"
ARABIC_PLACE = rf"(?:{ARABIC_WORD}(?:{H}+{ARABIC_WORD}){{0,2}})"
ARABIC_DATE = rf"(?:(?:\d{{1,2}}|\p{{Nd}}{{1,2}}|یکم){H}*{ARABIC_WORD})"
"""An Urdu (Arabic-script) dateline's place and day: "اسلام آباد", "یکم ستمبر" (the first of September), "12 اگست"."""

ROLE = (
    rf"(?i:(?:additional|further|extra){H}+reporting|reporting|writing|editing|compiled|graphics|research"
    rf"|fact(?:-|{H})?checking|additional{H}+writing|production|photography|video|data){H}+(?i:by|from){H}+"
)
START_ROLE_WORDS = ("reporting", "writing", "editing", "compiled")
"""The role words a credit block may start with (lower-cased); every block holds one."""
START_ROLE = rf"(?i:(?:additional|further|extra){H}+reporting|{'|'.join(START_ROLE_WORDS)}){H}+(?i:by|from){H}+"
NAME = rf"(?!{ROLE})(?:(?:[Aa]l|[Ee]l|[Dd])['’\-])?\p{{Lu}}[\p{{L}}\p{{M}}'’\-]*\.?"
PERSON = r"(?:\p{Lu}\.|\p{Lu}[\p{L}\p{M}'’\-]*)(?:(?:[^\S\r\n]+|-)(?:\p{Lu}\.|\p{Lu}[\p{L}\p{M}'’\-]*)){0,3}"
"""A photographer: up to four capitalised words or initials, not running over a full stop ("Paris. Kim")."""
PARTICLE = r"(?:de|da|del|der|den|di|do|dos|du|la|le|van|von|bin|binti|ibn|al|el|y|ter|ten)"
CONNECT = r"(?:and|&|in|at|from|for|with|the|of|on)"
PEOPLE = (
    rf"(?:(?:[Tt]he|THE){H}+)?(?:{NAME}|<AG>)"
    rf"(?:(?:{H}*,{H}*|{H}+)(?:(?:{CONNECT}|{PARTICLE}){H}+)*(?:{NAME}|<AG>)){{0,30}}"
)
"""People (and agencies) in a credit: capitalised words joined by commas, "and", "in <place>"..."""
NAMES = rf"(?>{PEOPLE})"
"""The same, atomic, so a sentence ("Reporting by The New York Times has shown") is not cut to a credit."""

QUAL = (
    rf"(?:(?:[Tt]he|an?){H}+)? (?:\p{{Lu}}\p{{L}}+['’]s{H}+)?"
    rf" (?:(?:state|state-run|state-owned|official|government|private|semi-official|news|press|wire"
    rf"|\p{{Lu}}\p{{L}}+(?:an|ese|ish|ian|i|ch)){H}+){{0,3}} (?:(?:agency|service){H}*,?{H}+)?"
)
"""What may stand between a verb and the agency: "according to state news agency", "told Japan's Kyodo"."""
AFTER_VERB = (
    rf"{H}*(?:[.,;:)\"”’]|{EOL}|$)|{H}+(?:that|on|in|earlier|late|last|first|this|citing|quoting|overnight"
    rf"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"
)
"""What follows a reporting verb that cites the agency ("Xinhua reported on Monday", "..., AP reported."),
unlike a company reporting something ("The Associated Press reported record revenue")."""
REPORT_NOUN = (
    r"(?:tally|count|calculations?|analysis|review|survey|poll|witness(?:es)?|investigation|examination|report"
    r"|dispatch|story)\b"
)
WITH = (
    rf"(?i:with|avec|mit|met|con|com|по{H}+материалам) {H}+"
    rf" (?:(?i:inputs?{H}+from|material{H}+(?:von|der|aus)|materiaal{H}+van|informaci[oó]n{H}+de"
    rf"|informa[cç](?:ão|ões){H}+d[aeo]s?){H}+)?"
)
"""With an agency, or with its material, in English, French, German, Spanish, Italian and Portuguese: "with inputs
from", "avec", "mit Material von", "con información de", "com informações da"."""
WITH_AGENCIES = rf"{WITH} (?P<names><AGS>) (?:{H}+(?i:inputs?))?"
SOURCE_WORD = (
    r"(?i:sources?|quellen?|fuentes?|fontes?|источник|источники|المصدر|bron|kaynak|źródło|källa|kilde|kilder"
    r"|来源|來源|稿源|消息来源|消息來源|资料来源|資料來源|出处|出處|出典|출처)"
)
"""The word of a source line: "Source: Xinhua", "Quelle: dpa", "Fuente: EFE", "Fonte: ANSA"."""
AGENCY_WORD = (
    rf"(?:(?:l['’]|la{H}+|le{H}+|a{H}+|o{H}+|el{H}+|die{H}+|der{H}+|dem{H}+|dall['’]|all['’]|dell['’]|alla{H}+"
    rf"|dalla{H}+|della{H}+)?"
    rf"(?:(?:\p{{Ll}}+{H}+){{0,2}}"
    rf"(?i:agence|agencia|agenzia|agência|nachrichtenagentur|staatsagentur|agentur)(?:{H}+(?:de{H}+presse"
    rf"|de{H}+noticias|de{H}+notícias|di{H}+stampa))?(?:{H}+(?:\p{{Ll}}[\p{{Ll}}'’\-]+|d['’]État)){{0,2}}{H}+)?)"
)
"""What may stand between a French, Spanish, Italian, Portuguese or German reporting word and the agency's name:
"l'", "la agencia", "l'agence officielle", "l'agenzia tedesca", "a agência espanhola", "der russischen
Staatsagentur". Only ever followed by the name, so the adjectives it allows cannot run into other text."""
NL_AGENCY_WORD = rf"(?:het{H}+)?(?:(?i:persbureau|persagentschap|nieuwsagentschap|agentschap){H}+)?"
"""What may stand between a Dutch reporting word and the agency's name: "het", "persbureau" (not "de": "volgens de
AP" is the data protection authority, "het ANP" the agency)."""
RU_AGENCY_WORD = (
    rf"(?:(?:\p{{Ll}}+{H}+)?(?i:агентств[оау]|агентством|информагентств[оау]|информагентством|радио){H}+)?«?"
)
"""What may stand between a Russian reporting word and the agency's name: "агентству «Интерфакс»"."""
_RU_SAID = (
    r"(?:сообща[ею]т|сообщил[аио]?|сообщили|переда[ёе]т|передал[аио]?|передали|пишет|писал[аио]?|отмечает"
    r"|уточняет|уточнил[аио]?|информирует|рассказал[аио]?|рассказали|заявил[аио]?|заявили|сказал[аио]?|сказали"
    r"|пояснил[аио]?|подтвердил[аио]?|подтвердили|добавил[аио]?|признал[аио]?|сообщает|стало\s+известно)"
)
_RU_WHEN = rf"(?:{H}+(?:также|сегодня|вчера|утром|днём|днем|вечером|ночью|в{H}+\p{{Ll}}+)){{0,2}}"
AR_CLITIC = "(?:[وفبل]{1,2})?"
"""A proclitic glued to a name ("لرويترز": to Reuters); the names pattern inside credits leaves them out."""
AR_AGENCY_WORD = rf"(?:[وفبل]{{0,2}}(?:وكالة|الوكالة|وكالات)(?:{H}+(?:أنباء|الأنباء|الانباء))?{H}+)?"
"""What may stand between an Arabic reporting word and the agency's name: "وكالة", "لوكالة" (to the agency)."""
_AR_SAID = (
    r"(?:[وف]?(?:قال|قالت|أضاف|اضاف|أضافت|اضافت|أوضح|اوضح|أوضحت|اوضحت|أكد|اكد|أكدت|اكدت|صرح|صرّح|صرحت"
    r"|أشار|اشار|أشارت|اشارت|كشف|كشفت|تحدث|تحدثت|أعلن|اعلن|أعلنت|اعلنت))"
)
_AR_REPORTED = (
    r"(?:[وف]?(?:ذكرت|أفادت|افادت|نقلت|قالت|أوردت|اوردت|بثت|نشرت|أشارت|اشارت|أضافت|اضافت"
    r"|تابعت|أوضحت|اوضحت|كشفت|ذكر|أفاد|نقل|أورد))"
)
_FR_SAID = (
    r"(?:indiqu|déclar|confi|précis|affirm|expliqu|racont|assur|confirm|annonc|soulign|estim|ajout|témoign"
    r"|répond|rapport|dit)(?:é|ée|és|ées|e|ent)?"
)
COPYRIGHT_SIGN = r"[©ⓒⒸ]|\([cC]\)"
PHOTO_SUFFIX = rf"(?:{H}*/{H}*(?:File{H}+Photo|FILE{H}+PHOTO|File|FILE|Pool|POOL|Handout))?"
CJK_TEXT = rf"[{CJK}]"
"""What a text must hold for the Chinese, Japanese and Korean phrasings to be tried."""
ZH_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
ZH_DATE = rf"(?:(?:\d{{4}}年)?{ZH_NUM}月)?{ZH_NUM}日"
"""A date as Chinese and Japanese write it: "12月7日", "7日", "十二月七日", "２０２４年１２月７日"."""
ZH_WHEN = (
    rf"(?:(?:\d{{1,2}}月)?{ZH_NUM}日|[今昨前当當]天|[周週][一二三四五六日]|星期[一二三四五六日天]|[上本]?[周週]|[上本]月"
    rf"|日前|近日|此前|早前|稍早)"
)
ZH_ALSO = r"(?:[（(][^（()）\r\n]{1,12}[）)])"
"""An agency's name glossed in parentheses: "马来西亚国家新闻社（马新社）", "法國新聞社（AFP）"."""
KO_ALSO = r"(?:\([^()\r\n]{1,12}\))"
"""The same in Korean: "베트남통신(VNA)이", "중앙통신사(CNA)에 따르면"."""
ZH_QUALIFIER = r"(?:\p{Han}{1,5}?)"
"""A country or a description before an agency's name: "据日本时事通讯社", "据土耳其阿纳多卢通讯社"."""
CJK_ANCHOR_REACH = 16
"""Characters before a name where a credit in Chinese, Japanese or Korean may start: "【ワシントン共同】",
"(서울=연합뉴스)", "<저작권자ⓒ 공감언론 뉴시스통신사", "［東京　７日　ロイター］" (where `_may_start_cjk_credit`
allows)."""
ZH_NAME = r"[\p{Han}·]{2,4}"
"""A person's name in Chinese characters (a reporter, a photographer)."""


def _fill(template: str, registry: WireRegistry, inline: bool = False, cjk: bool = False) -> str:
    """The template with the registry's names, defined once and called, or written out where used.

    A call costs little to compile and much to run (tens of microseconds each time); written out, the
    names run fast but every copy adds to compiling. Patterns tried at every anchor write them out.
    """
    ag = f"(?:{registry.alternation(cjk)})" if inline else "(?&ag)"
    # "AFP et Reuters"; in CJK texts also "新华社、路透社", "ロイターとAP", "로이터와 AP"
    glued = r"|、|・|·|和|与|與|及|と|や|및" if cjk else ""
    korean = rf"|(?:와|과){H}+" if cjk else ""
    sep = rf"(?:{H}*(?:,|/|&|\+|\|{glued}){H}*(?:(?:and|&){H}+)?|{H}+(?:and|AND|&|et|und|y|e){H}+{korean})"
    names = rf"(?:{THE}?{ag}(?:{sep}{THE}?{ag}){{0,6}})"
    template = template.replace("<AGS>", names).replace("<AG>", ag)
    if "(?&ag)" not in template:
        return template
    return f"(?(DEFINE)(?P<ag>{registry.alternation(cjk)}))(?:{template})"


# -- the families ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Family:
    """One kind of credit and the patterns that find it.

    A match's span is group `span` when the pattern has one, else the whole match; agencies are read in
    group `names` when present, else in the span; a credit naming no agency that counts is dropped. An
    agency named in group `person` ("Reuters/AFP" is not a photographer's credit) drops the match.
    `anchored` patterns start at an agency's name or a few words before it, and are tried only there
    (trying a name at every position is what makes patterns slow); the others are searched in the lines
    around each name.
    """

    kind: AttributionKind
    templates: tuple[str, ...]
    anchored: bool = False
    loose: bool = False  # only unambiguous names (running text)
    vetoes: bool = True  # drop vetoed mentions ("Thomson Reuters"); off where any name is a credit
    unquoted: bool = False  # skip matches inside quotation marks
    image_words: bool = False  # the credit must look like a photo credit (see _looks_like_image_credit)
    # how many words before a name an anchored credit may start ("Ludovic Marin/AFP", "an AFP correspondent");
    # more for phrasings that put an article and the agency's description first ("segundo a agência de notícias")
    anchor_words: int = 4
    # or, where words are not spaced (Chinese, Japanese) and none can be counted, how many characters before it:
    # every place in that reach is tried
    anchor_chars: int = 0
    # names written out in every template (fast where most tries reach a name), or defined once and called
    # (where most tries fail on the words before the name, as in the many phrasings of five languages)
    inline_names: bool = True
    # a character class the text must hold for this family to be tried at all ("\p{Cyrillic}"): phrasings of one
    # script cost nothing on texts written in another
    needs: str = ""

    def compile(self, registry: WireRegistry, cjk: bool = False) -> CompiledFamily:
        pattern = _fill(
            "|".join(f"(?:{t})" for t in self.templates), registry, inline=self.anchored and self.inline_names, cjk=cjk
        )
        return CompiledFamily(self, regex.compile(pattern, regex.VERBOSE | regex.VERSION0))


def _citations(templates: tuple[str, ...], needs: str = "", abbreviations: bool = False) -> Family:
    """Running-text citations in a language other than English: tried at a name and the six words before it
    (the phrasings put an article and the agency's description first), the names called, not written out. With
    `abbreviations`, names that are also other things count too ("meldt het ANP", "uppger TT", "jak podaje PAP"):
    these agencies go by their initials in their own languages, and the phrasing says a news agency is meant."""
    return Family(
        "according_to", templates, anchored=True, loose=not abbreviations, unquoted=True, anchor_words=6,
        inline_names=False, needs=needs,
    )


FAMILIES: tuple[Family, ...] = (
    Family(
        "dateline",
        (
            # at a line start: "LONDON (Reuters) -", "(AFP) -", "Madrid, 27 ene (EFE).-", "ISLAMABAD, Jan 27 (APP):"
            rf"{SOL}{H}* (?P<span> (?:{PLACE}{H}*)? \({H}* (?P<names><AGS>) (?:/\p{{Ll}}{{2,4}})? {H}*\) {H}* {TERM}"
            rf" (?:{H}* \p{{Lu}}{{2,}}(?:{H}+\p{{Lu}}{{2,}}){{0,2}} {H}*,{H}* {DATE} {H}* {DASH}{{1,2}})?)",
            # no dash after a dated or capitalised place: "New Delhi, Jan 27 (PTI) The court...", "SEVILLA, 12 (EUROPA
            # PRESS)" on a line of its own
            rf"{SOL}{H}* (?P<span> (?:{DATED_PLACE}|{CAPS_PLACE}) {H}* \({H}* (?P<names><AGS>) {H}*\))"
            rf" (?={H}+\S|{H}*{EOL})",
            # after a byline on the same line: "By Jane Doe LONDON (Reuters) -"
            rf"(?<![\w]) (?P<span> {CAPS_PLACE} {H}* \({H}* (?P<names><AGS>) {H}*\) {H}* {DASH}{{1,2}})",
            # no parentheses: "Tehran, IRNA –" (unambiguous names only: "HARRISBURG, PA —" is a state)
            rf"{SOL}{H}* (?P<span> {PLACE_WORD}(?:{H}+{PLACE_WORD}){{0,3}} {H}*,{H}* (?P<names><AG>)"
            rf" {H}* {DASH}{{1,2}})",
            # the agency after the place and date, no parentheses: "МОСКВА, 14 мар — РИА Новости.", "Москва. 3
            # февраля. INTERFAX.RU -"
            rf"{SOL}{H}* (?P<span> {DATED_PLACE} {H}* [.,]? {H}* (?:{DASH}{{1,2}}{H}*)? (?P<names><AG>) {H}*"
            rf" (?:{DASH}{{1,2}}|\.)) (?={H}+\S)",
            # TASS: "MOSCOW, January 27. /TASS/."; QNA, MENA: "الدوحة في 05 يونيو /قنا/"
            rf"{SOL}{H}* (?P<span> {PLACE}{H}*[,.]?{H}* /{H}* (?P<names><AG>) {H}*/ \.?) (?!\p{{L}})",
            # Arabic script (no capitals): "ممبئی ۔ 2 اگست (اے پی پی)", "اسلام آباد (اے پی پی)"
            rf"{SOL}{H}* (?=[\p{{Arabic}}(])"
            rf" (?P<span> (?:{ARABIC_PLACE} {H}* (?:[۔،,.:\-]{H}*)?"
            rf" (?:{ARABIC_DATE}{H}*|\d{{1,2}}{H}*-{H}*\d{{1,2}}{H}*)?)?"
            rf" \({H}* (?P<names><AGS>) {H}*\) (?:{H}*[:\-\u2013\u2014]{{1,2}})?)",
        ),
    ),
    Family(
        "contributed",
        (
            # "Reuters contributed to this report", "Associated Press writer X in Y contributed to this report"
            rf"(?<![\w]) (?P<names><AGS>)"
            rf" (?:{H}+ (?:[\p{{L}}\-]+{H}+)? (?i:staff|writers?|reporters?|correspondents?|journalists?"
            rf"|photographers?|videojournalists?|researchers?) [^\r\n;]{{0,160}}?)?"
            rf" {H}+ (?:also{H}+)? (?:contributed|contributes|has{H}+contributed)"
            rf" (?:{H}+(?:reporting|(?:to|reporting{H}+to){H}+(?:this|the){H}+(?:report|story|article))"
            rf"|(?=\.?{H}*{EOL})) \.?",
        ),
        anchored=True,
    ),
    Family(
        "contributed",
        (
            # "Material from Reuters was used in this report", "This article contains material from AFP"
            rf"(?i:(?:material|information|reporting|content|details){H}+from){H}+ (?P<names><AGS>) {H}+"
            rf" (?i:(?:was|were|has{H}+been|have{H}+been){H}+used{H}+in{H}+this{H}+(?:report|story|article)) \.?",
            rf"(?i:this{H}+(?:report|story|article){H}+(?:contains|includes|uses){H}+(?:material|information|reporting)"
            rf"{H}+from) {H}+ (?P<names><AGS>) \.?",
            rf"(?i:with{H}+contributions{H}+from) {H}+ (?P<names><AGS>)",
        ),
    ),
    Family(
        "with_agency",
        (
            # "(with Reuters)", "(With inputs from PTI)", "(With agency inputs)", "(Avec AFP)", "(mit dpa)"
            rf"\({H}* {WITH_AGENCIES} {H}*\.?{H}* \)",
            # "With AFP" on its own line, "- with agencies" or "— with AFP" ending a line
            rf"(?: {SOL}{H}* \*? (?P<span> (?:{DASH}{{1,2}}{H}*)? {WITH_AGENCIES})"
            rf"  | (?P<span> {DASH}{{1,2}}{H}* {WITH_AGENCIES}) ) {H}*\.?{H}* {EOL}",
            # a site's line over or under the story: "Le Monde avec AFP", "Par Le Figaro avec AFP et Reuters"
            rf"{SOL}{H}* (?P<span> (?:[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}'’\-.]*{H}+){{1,5}}"
            rf" (?i:avec|with) {H}+ (?P<names><AGS>)) {H}* {EOL}",
        ),
    ),
    Family(
        "according_to",
        (
            # "according to Reuters", "according to state news agency Xinhua", "according to a Reuters tally"
            rf"(?<![\w]) (?i:according{H}+to) {H}+ {QUAL} (?P<names><AGS>)",
            rf"(?<![\w]) (?i:according{H}+to){H}+ (?:an?|the){H}+ (?P<names><AG>) {H}+ {REPORT_NOUN}",
            # "Reporting by Reuters showed...", "a report from AFP"
            rf"(?<![\w]) (?:[Rr]eporting|[Aa]{H}+report|[Rr]eports?) {H}+ (?:by|from) {H}+ {QUAL} (?P<names><AGS>)",
            # "told Reuters", "said in an interview with the AP", "spoke to AFP"
            rf"(?<![\w]) (?:told|tells|telling|(?:said|says){H}+to|(?:spoke|speaking|talked|talking){H}+(?:to|with)"
            rf"|in{H}+(?:an?|the){H}+(?:[\p{{L}}\-]+{H}+)?(?:interview|statement|e-?mail|comments?){H}+(?:with|to))"
            rf" {H}+ {QUAL} (?P<names><AG>)",
            # "reported by Reuters", "a document seen by Reuters", "figures compiled by Reuters"
            rf"(?<![\w]) (?:reported|cited|quoted|seen|obtained|reviewed|verified|confirmed|compiled)"
            rf" {H}+ (?:to|by) {H}+ {QUAL} (?P<names><AG>)",
        ),
        loose=True,
        unquoted=True,
    ),
    Family(
        "according_to",
        (
            # "Xinhua reported", "Reuters has learned", "Interfax quoted him", "..., Xinhua said."
            rf"(?<![\w]) (?P<names><AG>) {H}+ (?:(?:has|had|have){H}+)? (?:first{H}+)?"
            rf" (?:(?:reported|reports|learned|learnt|calculated|tallied)\b (?={AFTER_VERB}) | (?:quoted|cited)\b"
            rf"|(?:said|says) (?=[.,;]|{H}*{EOL}))",
            # "a Reuters tally", "a Reuters witness", "by Reuters' count"
            rf"(?<![\w]) (?:[Aa]n?|[Tt]he) {H}+ (?P<names><AG>) {H}+ {REPORT_NOUN}",
            rf"(?<![\w]) (?P<names><AG>) ['’]s? {H}+ {REPORT_NOUN}",
            # "an AFP correspondent saw", "Reuters reporters at the scene"
            rf"(?<![\w]) (?:(?:[Aa]n?|[Tt]he|[Tt]wo|[Tt]hree){H}+)? (?P<names><AG>) {H}+"
            rf" (?:correspondents?|reporters?|journalists?|photographers?|cameram[ae]n|videojournalists?|team)"
            rf" {H}+ (?:saw|witnessed|counted|observed|heard|reported|at{H}+the{H}+scene|on{H}+the{H}+ground)\b",
            # "Reuters could not independently verify", "AFP was unable to confirm"
            rf"(?<![\w]) (?P<names><AG>) {H}+ (?:could{H}*not|couldn['’]t|cannot|can{H}*not|was{H}+unable{H}+to"
            rf"|were{H}+unable{H}+to|has{H}+not{H}+been{H}+able{H}+to) (?:{H}+(?:immediately|independently))*"
            rf" {H}+ (?:verify|confirm)\b",
            # Urdu: "اے پی پی کے مطابق" (according to APP)
            rf"(?<![\w]) (?P<names><AG>) {H}+ کے {H}+ مطابق",
        ),
        anchored=True,
        loose=True,
        unquoted=True,
    ),
    _citations(
        (
            # French: "selon l'AFP", "a déclaré à l'AFP", "déclare-t-il à l'AFP", "a appris l'AFP", "rapporte
            # l'AFP", "Reuters rapporte", "un décompte de l'AFP", "a constaté un journaliste de l'AFP"
            rf"(?<![\w]) (?i:selon) {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?i:selon) {H}+ (?:des|les|de{H}+nouvelles) {H}+ (?:informations|sources|chiffres|données"
            rf"|images|documents) (?:{H}+\p{{Ll}}+)? {H}+ (?:de|d['’]|de{H}+l['’]|obtenue?s?{H}+par|publiée?s?{H}+par)"
            rf" {H}* {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) {_FR_SAID} (?:-t-(?:il|elle|on|ils|elles))? {H}+ à {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:a{H}+appris|apprend|rapporte|rapportait|a{H}+rapporté|rapporté|révèle|a{H}+révélé)"
            rf" (?:{H}+\p{{Ll}}+){{0,2}} {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?P<names><AG>) {H}+ (?:rapporte|rapportait|a{H}+rapporté)\b",
            rf"(?<![\w]) (?i:un|une|le|la) {H}+ (?:décompte|bilan|comptage|recensement) {H}+"
            rf" (?:établi{H}+par{H}+|de{H}+) {AGENCY_WORD} (?P<names><AG>)",
            rf"(?:un|une|des|deux|trois) (?<=(?:constaté|constater|vu|observé|compté|entendu|selon){H}+\w+) {H}+"
            rf" (?:journalistes?|photographes?|correspondante?s?|vidéastes?|reporters?)"
            rf" {H}+ (?:de{H}+l['’]|de{H}+la{H}+|du{H}+) (?P<names><AG>)",
            rf"(?<![\w]) (?i:interrogée?s?|contactée?s?|jointe?s?|sollicitée?s?|obtenue?s?|consultée?s?|citée?s?)"
            rf" {H}+ par {H}+ {AGENCY_WORD} (?P<names><AG>)",
            # German: "laut dpa", "der Nachrichtenagentur AFP zufolge", "berichtete die Nachrichtenagentur dpa",
            # "wie Reuters berichtet", "nach Angaben der Agentur AFP", "sagte ein Sprecher der Deutschen Presse-Agentur"
            rf"(?<![\w]) (?i:laut) {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) so {H}+ (?:die|der) {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?i:wie) {H}+ (?:\p{{L}}+{H}+){{1,3}} (?:der|dem) {H}+ {AGENCY_WORD} (?P<names><AG>)"
            rf" (?:{H}+\p{{L}}+){{0,3}} {H}+ (?:sagte|bestätigte|erklärte|mitteilte|berichtete)\b",
            rf"(?<![\w]) (?i:der|dem) {H}+ {AGENCY_WORD} (?P<names><AG>) {H}+ zufolge\b",
            rf"(?<![\w]) (?:berichtet|berichtete|berichten|berichteten|meldet|meldete|meldeten|schreibt|schrieb)"
            rf" (?:{H}+(?:am|heute|gestern|\p{{Lu}}\p{{Ll}}+tag)){{0,2}} {H}+ (?:die|der){H}+ {AGENCY_WORD}"
            rf" (?P<names><AG>)",
            rf"(?<![\w]) (?i:wie) {H}+ {AGENCY_WORD} (?P<names><AG>) {H}+"
            rf" (?:berichtet|berichtete|berichten|meldet|meldete|erfuhr|erfahren|schreibt|schrieb)\b",
            rf"(?:Angaben|Informationen) (?<=(?i:nach){H}+\w+) {H}+ (?:von{H}+)? {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:im{H}+Gespräch{H}+mit|im{H}+Interview{H}+mit|gegenüber) {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?:der|dem) (?<=(?:sagte|sagten|sagt|erklärte|erklärten|bestätigte|bestätigten|betonte|berichtete)\b"
            rf"[^.!?\r\n]{{0,60}}(?<![\w])\w+) {H}+ (?:Nachrichtenagentur{H}+)? (?P<names><AG>)",
            # Spanish: "según la agencia EFE", "informó EFE", "dijo a EFE"
            rf"(?<![\w]) (?i:según) {H}+ (?:(?:informó|informa|publicó|publica|recoge|recogió|difundió){H}+)?"
            rf" {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:informó|informa|informaron|reportó|reporta|publicó|difundió|recogió)"
            rf" (?:{H}+(?:este|esta|hoy|ayer|el|\p{{Ll}}+es)){{0,2}} {H}+ {AGENCY_WORD}"
            rf" (?P<names><AG>)",
            rf"(?<![\w]) (?:dijo|declaró|confirmó|explicó|aseguró|indicó|señaló|afirmó|contó|precisó|relató|detalló"
            rf"|manifestó|comentó|reconoció|admitió|advirtió|subrayó) {H}+ a {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:ha|han|había|habían) {H}+ (?:explicado|informado|asegurado|confirmado|declarado|dicho"
            rf"|señalado|indicado|contado|relatado|detallado|precisado|avanzado|trasladado|apuntado|reconocido) {H}+"
            rf" a {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:ha{H}+podido{H}+saber|ha{H}+sabido|consultad[oa]s?{H}+por|citad[oa]s?{H}+por)"
            rf" {H}+ {AGENCY_WORD} (?P<names><AG>)",
            # Italian: "secondo l'ANSA", "riferisce l'ANSA", "ha detto all'ANSA"
            rf"(?<![\w]) (?i:secondo) {H}+ (?:quanto{H}+(?:riferisce|riporta|riferito{H}+da|riportato{H}+da){H}+)?"
            rf" {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:riferisce|riporta|scrive|ha{H}+riferito|ha{H}+riportato|ha{H}+scritto|apprende"
            rf"|ha{H}+appreso|riportato|riferito|(?i:stando)) {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:detto|dichiarato|spiegato|confermato|raccontato|riferito|precisato|sottolineato|aggiunto"
            rf"|dice|dichiara|spiega|conferma|racconta|precisa|sottolinea|aggiunge)"
            rf" {H}+ (?:all['’]|alla{H}+) (?:agenzia{H}+)? (?P<names><AG>)",
            # Portuguese: "segundo a agência Lusa", "de acordo com a Reuters", "disse à Lusa", "informou a Lusa"
            rf"(?<![\w]) (?i:segundo|de{H}+acordo{H}+com) {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:disse|afirmou|declarou|contou|explicou|confirmou|adiantou|revelou|garantiu|assegurou"
            rf"|referiu|precisou|indicou|declarações|entrevista) {H}+ à {H}+ {AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:informou|noticiou|avançou|divulgou|relatou) {H}+ {AGENCY_WORD} (?P<names><AG>)",
        ),
    ),
    _citations(
        (
            # Russian: "сообщает ТАСС", "передает РИА Новости", "сообщил агентству «Интерфакс»", "как пишет
            # Reuters", "по данным агентства Bloomberg", "со ссылкой на ТАСС", "источник ТАСС", "в интервью РИА Новости"
            rf"(?<![\w]) {_RU_SAID} {_RU_WHEN} {H}+ {RU_AGENCY_WORD} (?P<names><AG>) »?",
            rf"(?<![\w]) (?i:по) {H}+ (?:данным|информации|сообщению|сведениям|подсч[её]там) {H}+ {RU_AGENCY_WORD}"
            rf" (?P<names><AG>) »?",
            rf"(?<![\w]) (?i:со) {H}+ ссылкой {H}+ на {H}+ {RU_AGENCY_WORD} (?P<names><AG>) »?",
            rf"(?<![\w]) (?:источник|источники|источника|источнику|собеседник|собеседника|собеседнику)"
            rf" {H}+ {RU_AGENCY_WORD} (?P<names><AG>) »?",
            rf"(?<![\w]) (?i:в) {H}+ (?:интервью|беседе{H}+с|разговоре{H}+с) {H}+"
            rf" (?:(?:корреспондент|журналист)\p{{Ll}}*{H}+)? {RU_AGENCY_WORD} (?P<names><AG>) »?",
            rf"(?<![\w]) (?:(?i:агентство){H}+)? (?P<names><AG>) {H}+ {_RU_SAID}",
            rf"(?<![\w]) (?:переда[ёе]т|сообщает|сообщил[аи]?|видел[аи]?|наблюдал[аи]?|увидел[аи]?) {H}+"
            rf" (?:корреспондент|журналист|фотограф)[\p{{Ll}}]* {H}+ (?P<names><AG>)",
        ),
        needs=r"\p{Cyrillic}",
    ),
    _citations(
        (
            # Arabic: "ذكرت وكالة رويترز", "أفادت وكالة الأنباء السعودية", "وفقا لوكالة الأنباء الفرنسية",
            # "قال مسؤول لرويترز", "في مقابلة مع وكالة أسوشيتد برس", "نقلا عن وكالة الأناضول"
            rf"(?<![\w]) {_AR_REPORTED} {H}+ {AR_AGENCY_WORD} {AR_CLITIC} (?P<names><AG>)",
            # an agency described, then its initials: "أفادت وكالة الأنباء الإيرانية الرسمية (إرنا)"
            rf"(?<![\w]) {_AR_REPORTED} {H}+ [وفبل]{{0,2}}(?:وكالة|الوكالة) (?:{H}+\p{{Arabic}}+){{1,4}} {H}* \({H}*"
            rf" (?P<names><AG>) {H}*\)",
            rf"(?<![\w]) (?:[وف]?(?:وفقا|وفقاً|طبقا|طبقاً|حسب|بحسب|حسبما{H}+(?:ذكرت|أفادت|افادت|أوردت|اوردت|نقلت|قالت)"
            rf"|وفق{H}+ما{H}+(?:ذكرته|أوردته|اوردته|نقلته|أفادت{H}+به)|وفقا{H}+لما{H}+(?:نقلته|ذكرته|أوردته|اوردته)"
            rf"|نقلا{H}+عن|نقلاً{H}+عن)) {H}+ {AR_AGENCY_WORD}"
            rf" {AR_CLITIC} (?P<names><AG>)",
            rf"(?<![\w]) {_AR_SAID} (?:{H}+\p{{Arabic}}+){{0,3}}? {H}+ (?=ل) {AR_AGENCY_WORD} {AR_CLITIC}"
            rf" (?P<names><AG>)",
            rf"(?<![\w]) في {H}+ (?:مقابلة|حديث|حوار|اتصال) {H}+ مع {H}+ {AR_AGENCY_WORD} {AR_CLITIC} (?P<names><AG>)",
            rf"(?<![\w]) في {H}+ (?:تصريحات|تصريح) {H}+ (?=ل) {AR_AGENCY_WORD} {AR_CLITIC} (?P<names><AG>)",
        ),
        needs=r"\p{Arabic}",
    ),
    _citations(
        (
            # Dutch: "volgens het ANP", "meldt persbureau ANP", "zei een woordvoerder tegen het ANP", "aldus Belga"
            rf"(?<![\w]) (?i:volgens|aldus) {H}+ {NL_AGENCY_WORD} (?P<names><AG>)",
            rf"(?<![\w]) (?:meldt|meldde|melden|bericht|berichtte|schrijft|schreef) {H}+ {NL_AGENCY_WORD}"
            rf" (?P<names><AG>)",
            rf"(?<![\w]) (?:zegt|zei|zeggen|zeiden|vertelt|vertelde|bevestigt|bevestigde|laat|liet|meldt|meldde)"
            rf" (?:{H}+\p{{L}}+){{0,4}}? {H}+ (?:tegen|aan) {H}+ {NL_AGENCY_WORD} (?P<names><AG>)",
            # Turkish: "AA muhabirine", "Anadolu Ajansı'nın haberine göre", "AA'ya konuştu", "AA'ya açıklama yaptı"
            rf"(?<![\w]) (?P<names><AG>) (?:['’]\p{{Ll}}{{1,4}})? {H}+"
            rf" (?:muhabirine (?:{H}+(?:açıklama{H}+yapan|yaptığı{H}+açıklamada|konuşan|konuştu))? | haberine{H}+göre"
            rf"|aktardığına{H}+göre|bildirdiğine{H}+göre|edindiği{H}+bilgiye{H}+göre|verdiği{H}+bilgiye{H}+göre"
            rf"|yaptığı{H}+açıklamada|konuştu|konuşan|anlattı|anlatan|söyledi|açıklama{H}+yaptı|açıklamada"
            rf"|bilgi{H}+verdi)",
            # Polish: "poinformowała PAP", "powiedział PAP", "jak podaje PAP", "według PAP", "w rozmowie z PAP"
            rf"(?<![\w]) (?:poinformował[aoy]?|poinformowali|podał[aoy]?|podaje|przekazał[aoy]?|przekazali"
            rf"|powiedział[aoy]?|powiedzieli|potwierdził[aoy]?|potwierdzili|dowiedział[aoy]?{H}+się|informuje"
            rf"|zapowiedział[aoy]?) (?:{H}+\p{{Ll}}+){{0,2}}? {H}+ (?:agencj[aię]{H}+)? (?P<names><AG>)",
            rf"(?<![\w]) (?i:według|wg\.?) {H}+ (?:agencji{H}+)? (?P<names><AG>)",
            rf"(?<![\w]) (?i:w) {H}+ rozmowie {H}+ z {H}+ (?:agencją{H}+)? (?P<names><AG>)",
            # Swedish, Norwegian, Danish: "uppger TT", "säger han till TT", "enligt TT", "opplyser til NTB",
            # "ifølge NTB", "skriver Ritzau", "siger ... til Ritzau"
            rf"(?<![\w]) (?i:enligt|ifølge|iflg\.) {H}+ (?:nyhetsbyrån{H}+|nyhetsbyrået{H}+|nyhedsbureauet{H}+)?"
            rf" (?P<names><AG>)",
            rf"(?<![\w]) (?:uppger|skriver|rapporterar|meddelar|melder|opplyser|oplyser|meddeler|erfarer|erfar)"
            rf" {H}+ (?:nyhetsbyrån{H}+|nyhetsbyrået{H}+|nyhedsbureauet{H}+)? (?P<names><AG>)",
            rf"(?<![\w]) (?:säger|sade|sa|sier|sagt|siger|sagde|fortæller|fortalte|forteller|berättar|bekräftar"
            rf"|bekrefter|bekræfter|uppger|opplyser|oplyser|skriver) (?:{H}+\p{{L}}+){{0,4}}? {H}+ (?:till|til|för|for)"
            rf" {H}+ (?P<names><AG>)",
        ),
        abbreviations=True,
    ),
    Family(
        "source_line",
        (
            # "Source: Xinhua", "Sources: Reuters, AP", "(Source: AFP)"
            rf"(?:{SOL}{H}*|(?<=[.!?]){H}+) (?P<span> {SOURCE_WORD} {H}* [:：|] {H}* (?P<names>[^\r\n]{{1,160}}?))"
            rf" {H}*\.?{H}* {EOL}",
            rf"[(（]{H}* {SOURCE_WORD} {H}* [:：] {H}* (?P<names>[^()（）\r\n]{{1,120}}) [)）]",
            # "...the ministry said. - AFP", "...said. (Reuters)"
            rf"(?<=[.!?\"”’)\]。！？」』）]) {H}* (?P<span> (?:{DASH}{{1,2}}{H}* (?P<names><AGS>)"
            rf" | [(（]{H}*(?P<names><AGS>){H}*[)）])) {H}*\.?{H}* {EOL}",
            # The Canadian Press tagline: "This report by The Canadian Press was first published Jan. 27, 2024."
            rf"(?P<span> (?i:this{H}+(?:report|story|article){H}+(?:by|from)) {H}+ (?P<names><AGS>))"
            rf" (?={H}+(?i:was{H}+first))",
            # a signature line between slashes: "/ritzau/", "/TASS/"
            rf"{SOL}{H}* (?P<span> /{H}* (?P<names><AGS>) {H}*/) {H}*\.?{H}* {EOL}",
            # a line that is only the agency: "Reuters", "(AFP)", "— Xinhua"; German sites sign with the agencies
            # and the editor's initials: "dpa/AFP/jok"
            rf"{SOL}{H}* (?P<span> (?:{DASH}{{1,2}}{H}*)?"
            rf" (?:(?P<names><AGS>) (?:/\p{{Ll}}{{2,4}})? | \({H}*(?P<names><AGS>){H}*\))) {H}*\.?{H}* {EOL}",
        ),
    ),
    Family(
        "image_credit",
        (
            # "Photo: Reuters", "Photograph: Kim Hong-Ji/Reuters", "Image: Reuters.", "Photo by X/AFP via Getty Images"
            rf"(?<![\w]) (?P<span> (?i:(?:file{H}+|main{H}+|top{H}+|cover{H}+)?"
            rf"(?:photo(?:graph)?s?|images?|pictures?|pic|photo{H}+credit|image{H}+credit|credit|illustration"
            rf"|graphics?|video|footage|cr[ée]dit{H}+photo|fotos?|fotograf(?:ie|ía|ia)|bild(?:er)?|immagine|imagem"
            rf"|фото|фотография|تصوير|الصورة|صورة|fotoğraf|fot\.))"
            rf" {H}* (?:(?i:by){H}+|[:：|/]{H}*|{DASH}{H}*|(?<=\.){H}+)"
            rf" (?P<names>(?:[^\r\n()\[\].;:]|\.(?!\s)){{1,80}}?))"
            rf" (?={H}*\.?{H}*(?:{EOL}|[)\]]))",
            # a caption line ending in the agency: "Boris Johnson outside No 10 (PA)"
            rf"(?<=[\p{{L}}\p{{N}}]){H}+ (?P<span> \({H}* (?P<names><AGS>) {H}*\)) {H}* {EOL}",
        ),
    ),
    Family(
        "image_credit",
        (
            # "(AP Photo/Evan Vucci)", "(MAXIM MALINOVSKY | AFP | Getty Images)", "[REUTERS/Stringer]"
            rf"(?P<span> [(\[] {H}* (?P<names>[^()\[\]\r\n]{{2,120}}?) {H}* [)\]])",
        ),
        image_words=True,
    ),
    Family(
        "image_credit",
        (
            # "REUTERS/Kim Kyung-Hoon", "AFP PHOTO / JOHN SMITH", "AFP/Getty Images", "AFP via Getty Images"
            rf"(?<![\w/]) (?P<names><AG>) (?:{H}+(?:Photo|PHOTO|Images|IMAGES|Pictures|Pix|TV))?"
            rf" {H}* (?:/|{H}via{H}|\|) {H}* (?P<person>{PERSON})"
            rf" {PHOTO_SUFFIX} (?![/\w\-])",
        ),
        anchored=True,
        loose=True,  # "PA/NJ", "NOAA/PA": a bare abbreviation in a slash is too often something else
    ),
    Family(
        "image_credit",
        (
            # "Kim Hong-Ji/Reuters", "Ludovic Marin/AFP via Getty Images" (not a code such as "OAS/CP/GT")
            rf"(?<![\w/]) (?P<person>{PERSON}) {H}*/{H}* (?P<names><AG>)"
            rf" (?:{H}+via{H}+Getty{H}+Images|{H}+(?:Photo|PHOTO|Images|Pictures))? (?![/\w\-])",
        ),
        anchored=True,
        loose=True,
    ),
    Family(
        "copyright",
        (
            rf"(?:(?:{COPYRIGHT_SIGN}){H}*(?:(?i:copyright){H}*)?|(?i:copyright|copr\.){H}*(?:(?:{COPYRIGHT_SIGN}){H}*)?)"
            rf" (?:\d{{4}}(?:{H}*{DASH}{H}*\d{{4}})?{H}*,?{H}*)? (?:Thomson{H}+)? (?P<names><AGS>)"
            rf" (?!{H}+\p{{Hangul}}{{2,4}}{H}*(?:기자|특파원))"
            rf" (?:{H}*\({H}*(?P<names><AGS>){H}*\))?"
            rf" (?:{H}*,?{H}*\d{{4}})? (?:{H}*[.,]?{H}*(?i:all{H}+rights{H}+reserved)\.?)?"
            # "© dpa-infocom, dpa:240612-99-362114/4", "© 2024 Lusa - Agência de Notícias de Portugal, S.A."
            rf" (?::\d[\d\-/]* | {H}+{DASH}{H}+[^\r\n]{{1,80}}?(?={H}*{EOL}))?",
        ),
        vetoes=False,
    ),
    Family(
        "with_agency",
        (
            # "При подготовке материала использованы данные РИА Новости", "По материалам ТАСС" (with WITH)
            rf"(?P<span> (?i:при{H}+подготовке{H}+(?:материала|статьи|публикации){H}+использованы{H}+(?:данные"
            rf"|материалы|сведения)) {H}+ {RU_AGENCY_WORD} (?P<names><AGS>))",
        ),
        needs=r"\p{Cyrillic}",
    ),
    Family(
        "with_agency",
        (
            # "(بتصرف عن وكالة الأناضول)", "أعدت هذه المادة بالاستعانة بتقارير وكالة الأنباء الفرنسية"
            rf"(?P<span> \(? (?:بتصرف{H}+عن|نقلا{H}+عن|بالتعاون{H}+مع) {H}+ {AR_AGENCY_WORD} (?:[وفبل]{{1,2}})?"
            rf" (?P<names><AGS>) {H}* \)?) {H}*\.?{H}* {EOL}",
            rf"(?P<span> أعدت{H}+(?:هذه{H}+)?(?:المادة|المقالة|المقال|التقرير) {H}+ (?:بالاستعانة{H}+ب(?:تقارير|مواد)"
            rf"|بالاعتماد{H}+على{H}+(?:تقارير|مواد)|استنادا{H}+إلى{H}+(?:تقارير|مواد)) {H}+ {AR_AGENCY_WORD}"
            rf" (?P<names><AGS>))",
        ),
        needs=r"\p{Arabic}",
    ),
    Family(
        "dateline",
        (
            # the agency between slashes (QNA, MENA): "الدوحة في 05 يونيو /قنا/"; ending a dated line (SPA): "الرياض 15
            # جمادى الآخرة 1445 هـ الموافق 28 ديسمبر 2023 م واس"; after a dash: "الرياض - واس", "دبي - (وام):"
            rf"{SOL}{H}* (?P<span> {ARABIC_PLACE} (?:{H}+في)?"
            rf" (?:{H}+(?:\d{{1,2}}|\p{{Nd}}{{1,2}})(?:{H}+{ARABIC_WORD}){{0,2}})? {H}* /{H}* (?P<names><AGS>) {H}*/)",
            # SPA: "الرياض 15 جمادى الآخرة 1445 هـ الموافق 28 ديسمبر 2023 م واس", the agency ending a dated line
            rf"{SOL}{H}* (?P<span> {ARABIC_PLACE} {H}+ (?=[^\r\n]*\d{{4}})[^\r\n]{{1,90}}? {H}+ (?P<names><AGS>))"
            rf" {H}* {EOL}",
            # Arabic script, the agency after a dash: "الرياض - واس", "دبي - (وام):"
            rf"{SOL}{H}* (?P<span> {ARABIC_PLACE} {H}* [\-\u2013\u2014] {H}*"
            rf" (?:\({H}*(?P<names><AGS>){H}*\)|(?P<names><AGS>)) {H}* [:\-\u2013\u2014]?)",
        ),
        needs=r"\p{Arabic}",
    ),
    Family(
        "copyright",
        (
            # "جميع الحقوق محفوظة © وكالة الأنباء الكويتية (كونا) 2024" (all rights reserved)
            rf"جميع{H}+الحقوق{H}+محفوظة {H}* (?:©|\([cC]\)) {H}* (?:\d{{4}}{H}*)? (?P<names><AGS>)"
            rf" (?:{H}*\({H}*(?P<names><AGS>){H}*\))? (?:{H}*\d{{4}})?",
        ),
        vetoes=False,
        needs=r"\p{Arabic}",
    ),
    # Chinese, Japanese and Korean: no spaces between words (or particles glued to them), so these are searched in
    # the lines around a name rather than anchored at the words before it
    Family(
        "dateline",
        (
            # Chinese: "新华社北京12月7日电", "（中央社記者王小明台北7日電）", "中新网北京12月7日电（记者 王晓明）",
            # "路透北京12月7日 -", "美联社7日电"
            rf"(?P<span> [（(]? {H}* (?P<names><AGS>) {H}* (?:[\p{{Han}}·]{H}*){{0,16}}? {ZH_DATE} {H}*"
            rf" (?:[专專]?[电電](?:讯|訊)? | [综綜]合外[电電][报報][导導道] | {DASH}{{1,2}}) (?:{H}*[）)])?"
            rf" (?:{H}*[（(]{H}*(?:记者|記者)[^（()）\r\n]{{1,30}}[）)])?)",
            # Japanese: "【ワシントン共同】", "【北京時事】", "【ロンドン＝ロイター】", "［東京　７日　ロイター］ -"
            # "【パリAFP時事】" (AFP's story through Jiji), "【12月7日 AFP】" (AFPBB News)
            rf"(?P<span> [【\[［] {H}* (?:(?!<AG>)[\p{{Han}}\p{{Katakana}}ー・]{{1,12}} {H}* [＝=]? {H}*)?"
            rf" (?:{ZH_DATE}{H}*)?"
            rf" (?P<names><AGS> (?:{H}*<AG>)?) {H}* [】\]］] (?:{H}*{DASH}{{1,2}})?)",
            # "（ブルームバーグ）：" opening Bloomberg's Japanese stories
            rf"{SOL}{H}* (?P<span> [（(] {H}* (?P<names><AGS>) {H}* [）)] {H}* [：:])",
            # "東京（ロイター） -", Reuters' Japanese service
            rf"(?P<span> [\p{{Han}}\p{{Katakana}}ー・]{{1,12}} {H}* [（(] {H}* (?P<names><AGS>) {H}* [）)] {H}*"
            rf" {DASH}{{1,2}})",
            # Korean: "(서울=연합뉴스)", "(워싱턴 AP=연합뉴스)", "[서울=뉴시스]", "(서울=뉴스1)": every agency in it
            # counts; not "[로이터=연합뉴스]" (a picture's credit) or "(사진=연합뉴스)"
            rf"(?P<span> [(\[] {H}* (?!<AG>|사진) [\p{{Hangul}}\p{{Han}}]{{1,10}} (?:{H}+<AGS>)? {H}* [=＝] {H}*"
            rf" (?!<AG>{H}*/) <AGS> {H}* [)\]])",
        ),
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "according_to",
        (
            # Chinese: "据新华社报道", "據中央社報導", "据路透社12月7日报道", "据美联社援引知情人士"
            rf"[据據] {H}* {ZH_QUALIFIER}? (?P<names><AGS>) {ZH_ALSO}? (?:记者|記者)? [^，。；！？,;\r\n]{{0,12}}?"
            rf" (?:[报報][道导導]|消息|援引|引述|透露|[获獲]悉|[统統][计計]|披露|[调調][查査]|[计計]算|估[计計]"
            rf"|[称稱]|[电電]"
            rf"|[讯訊]|[发發]布|分析|指出|了解)",
            # "路透社报道称", "美联社7日报道", "路透社获悉", "法新社统计", "路透社无法独立核实"
            rf"(?P<names><AGS>) {ZH_ALSO}? (?:记者|記者)? {ZH_WHEN}?"
            rf" (?:[报報][道导導](?:[称稱])?|援引|引述|[获獲]悉|看到的|取得的|[获獲]得的|[统統][计計]|[计計]算"
            rf"|[无無]法[独獨]立[核证證][实實]|未能[独獨]立[核证證][实實])",
            # "向路透社表示", "对法新社说", "接受新华社记者采访时表示", "告诉美联社"
            rf"(?:向|[对對]|接受) {H}* (?P<names><AG>) (?:记者|記者)? {H}* 的?"
            rf" (?:[采採][访訪]|[专專][访訪]|表示|[说說]|透露|[证證][实實]|指出|[强強][调調]|坦言|[称稱])",
            rf"告[诉訴] {H}* (?P<names><AG>)",
            # Japanese: "共同通信によると", "ロイターの取材に対し", "ロイター通信が報じた", "AP通信などが伝えた"
            rf"(?P<names><AGS>) (?:通信社?|電)? (?:など)?"
            rf" (?:の{H}*(?:報道|取材|調べ|集計|試算|調査|電話取材|インタビュー|単独インタビュー))? {H}*"
            rf" (?:によると|によれば|に対し(?:て)?|に応じ|に語った|に明らかにした|に述べた|が報じた|は報じた|が伝えた"
            rf"|は伝えた|が報道した|は報道した|は(?:独自に)?確認できていない)",
            # "ロイター通信は7日、関係者の話として…と報じた", "聯合ニュースも伝えた": the name to its verb
            r"(?P<names><AGS>) (?:通信社?)? (?:など)? [はがも] [^。\r\n]{0,40}?"
            r" (?:報じた|伝えた|報道した|報じている)",
            # "共同通信社の全国電話世論調査", "時事通信の12月の世論調査": the agency's own poll or tally
            r"(?P<names><AGS>) (?:通信社?)? の [^、。\r\n]{0,12}? (?:世論調査|集計|調べ)",
            # Korean: "로이터통신에 따르면", "연합뉴스와의 통화에서", "AP통신에 말했다", "블룸버그통신이 보도했다"
            rf"(?P<names><AGS>) (?:통신)? {KO_ALSO}? (?:등)? {H}*"
            rf" (?:(?:{H}*[\p{{Hangul}}]{{1,8}}){{0,3}}에{H}*따르면|취재를{H}*종합하면"
            rf"|(?:과|와)의?{H}*(?:인터뷰|통화|전화{H}*통화"
            rf"|서면{H}*인터뷰|단독{H}*인터뷰)|에{H}*(?:말했다|밝혔다|전했다|설명했다|말한|밝힌)"
            rf"|(?:이|가|은|는){H}*(?:보도했다|전했다|보도한|입수한|확인한|집계한|독자적으로{H}*확인))",
            # "AP통신은 7일(현지시간) … 보도했다", "교도통신도 이를 전했다", "로이터는 이를 독립적으로 확인할 수 없었다"
            rf"(?P<names><AGS>) (?:통신)? {KO_ALSO}? (?:등)? (?:이|가|은|는|도) {H}* [^.。!?\r\n]{{0,40}}?"
            rf" (?:보도했다|전했다|보도하며|보도한|확인할{H}*수{H}*없|확인하지{H}*못)",
        ),
        loose=True,
        unquoted=True,
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "contributed",
        (
            # "美联社对本文亦有贡献" (the Associated Press contributed to this report)
            rf"(?P<span> (?P<names><AGS>) (?:记者|記者)? {H}* [对對]本文 (?:亦|也)? 有 (?:所)? [贡貢][献獻])",
        ),
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "with_agency",
        (
            # "综合新华社、路透社报道", "綜合外電、中央社報導"
            rf"(?P<span> (?:本[报報])? [综綜]合 {H}* (?P<names><AGS>) 等? (?:媒体|媒體|外[电電])?"
            rf" (?:[报報][道导導]|消息|[电電]))",
            # "AFP通信の配信記事を基に作成しました", "로이터·AFP통신 보도를 종합해 작성했습니다"
            r"(?P<span> (?P<names><AGS>) (?:通信社?)? の? (?:配信)? 記事を(?:基|もと)に [^。\r\n]{0,12})",
            rf"(?P<span> (?P<names><AGS>) (?:통신)? {H}* (?:보도|기사)를 {H}* 종합 [^.\r\n]{{0,12}})",
        ),
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "source_line",
        (
            # "本文转载自新华网", "（转自：新华社）"
            rf"(?P<span> (?:本文)? (?:[转轉][载載]自|[转轉]自|[编編][译譯]自) {H}* [：:]? {H}* (?P<names><AGS>))",
            # "来源：新华社" after a full stop, "출처=연합뉴스"
            rf"(?P<span> {SOURCE_WORD} {H}* [:：=＝] {H}* (?P<names><AGS>))",
        ),
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "image_credit",
        (
            # Chinese: "新华社记者王晓明摄", "路透社记者 王晓明 摄"
            rf"(?P<span> (?P<names><AGS>) (?:特约|特派)?(?:记者|記者)?"
            rf" (?:{H}*{ZH_NAME}(?:{H}*[、，,]{H}*{ZH_NAME}){{0,3}})?"
            rf" {H}* [摄攝](?![影像]))",
            # "（新华社发）", "新华社发 王晓明摄", "（路透社资料图）", "法新社图片", "（中央社檔案照片）"
            rf"(?P<span> (?P<names><AGS>) (?:[发發] (?:{H}*{ZH_NAME}{H}*[摄攝])? | 供[图圖] | 配[图圖]"
            rf" | (?:[资資]料|[档檔]案)?(?:[图圖]片?|照片?)))"
            rf" (?={H}*(?:[（()）]|{EOL}))",
            # "（新华社/美联）": Xinhua passing on another agency's picture
            rf"(?P<span> (?<=[（(]) {H}* (?P<names><AG> {H}* [/／] {H}* <AG>) {H}*) (?=[）)])",
            # "图/法新社", "图片来源：路透社", "写真：ロイター", "（写真＝AP）", "사진=연합뉴스"
            rf"(?P<span> (?:[图圖]片?(?:来源|來源|提供)?|照片(?:来源|來源)?|[图圖]源|摄影|攝影|写真|画像|映像|사진)"
            rf" {H}* [：:/／|＝=] {H}* (?P<names><AGS>) (?:{H}*[/／]{H}*[\p{{Han}}\p{{Hangul}}·]{{2,4}})?"
            rf" (?:{H}*(?:제공|자료사진))?)",
            # a caption line ending in the agency: "セーヌ川を船で進む日本選手団（AFP時事）", "＝14日（AP）"
            rf"(?<=[\p{{L}}\p{{N}}]) (?P<span> [（(] {H}* (?P<names><AGS> (?:{H}*<AG>)?) {H}* [）)]) {H}* {EOL}",
            # Korean captions: "팜비치/AP 연합뉴스", "/로이터 뉴스1"; "© News1 김진환 기자"
            rf"(?P<span> (?:\p{{Hangul}}{{1,10}})? {H}* / {H}* <AGS> {H}+ <AGS>) {H}* {EOL}",
            rf"(?P<span> (?:{COPYRIGHT_SIGN}) {H}* <AGS> {H}+ \p{{Hangul}}{{2,4}} {H}* (?:기자|특파원))",
            # Newsis's pictures: "[팜비치=AP/뉴시스]" (an AP picture through Newsis)
            rf"(?P<span> [(\[] {H}* [\p{{Hangul}}\p{{Han}}]{{1,10}} {H}* [=＝] {H}* <AG> {H}* / {H}* <AG> {H}* [)\]])",
            # Japanese and Korean captions: "（ロイター＝共同）", "[로이터=연합뉴스]", "[AP=연합뉴스 자료사진]"
            rf"(?P<span> [（(\[<〈［] {H}* <AGS> {H}* [＝=] {H}* <AGS> (?:{H}*(?:자료사진|특약|제공))? {H}*"
            rf" [）)\]>〉］])",
            rf"(?P<span> [\[<〈] {H}* <AGS> {H}* (?:자료사진|제공|사진|특약) {H}* [\]>〉])",
        ),
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "copyright",
        (
            # "新华社版权所有", "版權所有：中央社"
            rf"(?P<span> (?:[版][权權]所有 {H}* [：:©]? {H}* <AGS> | <AGS> {H}* [版][权權]所有"
            rf" | (?:本文)? [版][权權][归歸] {H}* <AGS> {H}* 所有))",
            # "<저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지>",
            # "<저작권자ⓒ 공감언론 뉴시스통신사. 무단전재…>",
            # "© 뉴스1코리아(news1.kr), 무단 전재 및 재배포 금지", "© 一般社団法人共同通信社"
            rf"(?P<span> (?:저작권자 {H}*)? (?:{COPYRIGHT_SIGN}) {H}* (?:공감언론|一般社団法人|株式会社)? {H}* <AGS>"
            rf" (?!{H}+\p{{Hangul}}{{2,4}}{H}*(?:기자|특파원))"
            rf" (?:[^\r\n,，>]{{0,24}}? {H}*[,，.]{H}*무단[^\r\n>]{{0,60}})?)",
        ),
        vetoes=False,
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "byline",
        (
            # "ロイター編集" over Reuters' Japanese copy
            rf"{SOL}{H}* (?P<span> (?P<names><AGS>) 編集) {H}* {EOL}",
            # a line of its own: "新华社记者 王晓明 李华", "文/中新社记者 王晓明"
            rf"{SOL}{H}* (?P<span> (?:文{H}*[/／|]{H}*)? (?P<names><AGS>) (?:特约|特派)?(?:记者|記者) {H}*"
            rf" {ZH_NAME}(?:{H}*[、，,\s]{H}*{ZH_NAME}){{0,3}}) (?<![摄攝]) {H}* {EOL}",
        ),
        anchored=True,
        anchor_chars=CJK_ANCHOR_REACH,
        needs=CJK_TEXT,
    ),
    Family(
        "byline",
        (
            # "By Reuters", "By Reuters Staff", "By JOSH BOAK, Associated Press", "By Jane Doe | AP", "By PA Reporter"
            rf"{SOL}{H}* (?P<span> (?i:by) {H}+ (?:{PEOPLE} (?:{H}*[,|/]{H}*|{H}*{DASH}{H}*|{H}+|{H}*\(){H}*)?"
            rf" (?P<names><AGS>) (?:{H}+ (?:[\p{{L}}]+{H}+)? (?i:staff|reporters?|writers?|correspondents?|journalists?"
            rf"|team|desk))? (?:{H}*\))?)"
            rf" (?={H}*(?:{EOL}|[,|·•]|{DASH}))",
        ),
    ),
)
"""The pattern families (a kind may have several, each family's patterns matching one after another)."""

_SCRIPT = {f.needs: regex.compile(f.needs) for f in FAMILIES if f.needs and f.needs != CJK_TEXT}
"""The scripts some families need, each looked for once a text."""

BLOCK_BODY = rf"""
    {START_ROLE} {NAMES}
    (?: (?:{H}*[;,.|]{H}*{LINE_BREAK}?|{H}*{LINE_BREAK}|{H}+) {H}* (?:(?i:and){H}+)? {ROLE} {NAMES} )*
    (?: {H}*\.)?
"""
BLOCK = rf"""
    (?P<span> \({H}* {BLOCK_BODY} {H}*\) )
  | (?<= (?:^|[\r\n]){H}* | [.!?\"”’]{H}+ ) (?P<span> {BLOCK_BODY} ) (?={H}*(?:{EOL}|\p{{Lu}}|\())
"""
"""A credit block: "(Reporting by X; Editing by Y)", "Additional reporting by Reuters", lines joined."""

_ROLE_HINT = regex.compile(rf"(?<!\w){START_ROLE}")

_OPEN_PAREN = regex.compile(rf"\({H}*$")
_ROLE_WORD = regex.compile(ROLE)
_ADDITIONAL = regex.compile(rf"\(?{H}*(?i:(?:additional|further|extra){H}+reporting)")


def _may_hold_blocks(text: str) -> bool:
    """Whether `text` may hold a credit block: a plain substring test that spares most texts the pattern scan
    (about 10 times faster on PAN documents), never false where the scan would find a role word."""
    if "\u0130" in text:  # the pattern's case-insensitive "i" also matches a dotted capital I, which lower() expands
        return True
    low = text.lower()
    return any(word in low for word in START_ROLE_WORDS)


# -- running the patterns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompiledFamily:
    family: Family
    pattern: regex.Pattern[str]

    def find(self, text: str, where: range | list[int], mentions: list[AgencyMention]) -> Iterator[Attribution]:
        """Credits of this kind searched in a window of the text, or matched at each of a list of anchors."""
        fam = self.family
        if isinstance(where, range):
            matches: Iterable[regex.Match[str]] = self.pattern.finditer(text, where.start, where.stop)
        else:
            matches = filter(None, (self.pattern.match(text, pos) for pos in where))
        for m in matches:
            start, end = _trim(text, *_group_span(m, "span"))
            if end <= start or (fam.unquoted and _inside_quotes(text, start)):
                continue
            if fam.image_words and not _looks_like_image_credit(text, start, end, mentions):
                continue
            names = _group_span(m, "names")
            counted = [
                mn
                for mn in _within(mentions, *(names if names[0] >= 0 else (start, end)))
                if not ((fam.vetoes and mn.vetoed) or (fam.loose and mn.ambiguous))
            ]
            person = _group_span(m, "person")
            if person[0] >= 0 and any(not mn.vetoed for mn in _within(mentions, *person)):
                continue  # "Reuters/AFP": two agencies, not a photographer's credit
            for agency in dict.fromkeys(mn.agency for mn in counted):
                yield Attribution(agency, Span(start, end), fam.kind, text[start:end])


@dataclass(frozen=True)
class Compiled:
    """A registry's families and block pattern, compiled once per registry."""

    registry: WireRegistry
    searched: tuple[CompiledFamily, ...]
    anchored: tuple[CompiledFamily, ...]
    block: regex.Pattern[str]

    def blocks(self, text: str, mentions: list[AgencyMention]) -> Iterator[Attribution]:
        """Credit blocks: one attribution per agency named inside, or one with agency None."""
        if not _may_hold_blocks(text):
            return
        reach = 0
        for hint in _ROLE_HINT.finditer(text):
            if hint.start() < reach:
                continue
            # a block starts at its first role word, or at the parenthesis opening it
            paren = _OPEN_PAREN.search(text, max(reach, hint.start() - 20), hint.start())
            endpos = min(len(text), hint.end() + BLOCK_REACH)
            m = (paren and self.block.match(text, paren.start(), endpos)) or self.block.match(
                text, hint.start(), endpos
            )
            if m is None:
                continue  # running text: "Reporting by Reuters showed..."
            reach = m.end("span")
            yield from self._block(text, *_trim(text, *m.span("span")), mentions)

    def _block(self, text: str, start: int, end: int, mentions: list[AgencyMention]) -> Iterator[Attribution]:
        span, chunk = Span(start, end), text[start:end]
        named = [mn for mn in _within(mentions, start, end) if not mn.vetoed]
        if not named:
            kind: AttributionKind = "additional_reporting" if _ADDITIONAL.match(chunk) else "reporting_by"
            yield Attribution(None, span, kind, chunk)
        for agency, first in {mn.agency: mn for mn in reversed(named)}.items():
            roles = list(_ROLE_WORD.finditer(text, start, first.start))
            additional = bool(roles) and _ADDITIONAL.match(text, roles[-1].start()) is not None
            yield Attribution(agency, span, "additional_reporting" if additional else "reporting_by", chunk)


@functools.lru_cache(maxsize=8)
def _compiled(registry: WireRegistry, cjk: bool = False) -> Compiled:
    """The patterns for texts without CJK letters, or (`cjk`, compiled when first needed) for texts with them:
    with the names in CJK letters, boundaries that let a name touch a CJK letter, and the CJK phrasings. A text
    without CJK letters is read exactly as it would be without any of these, and no slower."""
    families = [f.compile(registry, cjk) for f in FAMILIES if cjk or f.needs != CJK_TEXT]
    return Compiled(
        registry,
        searched=tuple(f for f in families if not f.family.anchored),
        anchored=tuple(f for f in families if f.family.anchored),
        block=regex.compile(_fill(BLOCK, registry, cjk=cjk), regex.VERBOSE | regex.VERSION0),
    )


BLOCK_REACH = 3000
"""Characters after its first role word within which a credit block must end."""
QUOTE_REACH = 2000
"""Characters before a credit searched for an open quotation."""
WINDOW_REACH = 400
"""Characters a window reaches either side of a name at most (credits are shorter; lines may be whole texts)."""
ANCHOR_REACH = 80
"""Characters before a name searched for those words."""
_WORD_STARTS = regex.compile(r"(?<![^\s/|(\[])\w")


def _within(mentions: list[AgencyMention], start: int, end: int) -> list[AgencyMention]:
    """The mentions overlapping `[start, end)` ("Korean Central News Agency" for a group on its last words).

    Mentions are sorted and do not overlap one another, so their ends are sorted too.
    """
    lo = bisect.bisect_right(mentions, start, key=lambda mn: mn.end)
    hi = bisect.bisect_left(mentions, end, key=lambda mn: mn.start)
    return mentions[lo:hi]


def _windows(text: str, mentions: list[AgencyMention]) -> list[range]:
    """The lines around each agency name (one line either side, WINDOW_REACH at most), merged.

    Every credit but a people-only block names an agency, so the family patterns only need to run here.
    """
    windows: list[range] = []
    for m in mentions:
        floor, ceiling = max(0, m.start - WINDOW_REACH), min(len(text), m.end + WINDOW_REACH)
        start = _line_start(text, _line_start(text, m.start, floor) - 1, floor)
        end = _line_end(text, _line_end(text, m.end, ceiling) + 1, ceiling)
        if windows and start <= windows[-1].stop:
            windows[-1] = range(windows[-1].start, max(end, windows[-1].stop))
        else:
            windows.append(range(start, end))
    return windows


def _anchors(text: str, mentions: list[AgencyMention], words: int = 4, chars: int = 0) -> list[int]:
    """Where anchored credits may start: at each name and at the starts of the `words` words before it, or (with
    `chars`) at every one of the `chars` characters before it."""
    anchors: set[int] = set()
    for m in mentions:
        anchors.add(m.start)
        if chars:
            anchors.update(p for p in range(max(0, m.start - chars), m.start) if _may_start_cjk_credit(text, p))
            continue
        floor = max(0, m.start - ANCHOR_REACH)
        starts = [floor + w.start() for w in _WORD_STARTS.finditer(text[floor : m.start])]
        anchors.update(starts[-words:])
    return sorted(anchors)


CJK_STARTS = frozenset("【[［(（<〈©ⓒⒸ/据據向对對接告综綜本来來稿消资資出출사图圖照摄攝写画映转轉编編文저")
"""The characters a Chinese, Japanese or Korean credit may start with before its agency's name: brackets, the
copyright sign, and the first characters of the words that open one ("据", "来源", "图片", "写真", "사진",
"저작권자")."""


def _may_start_cjk_credit(text: str, pos: int) -> bool:
    """Whether a CJK credit may start at `pos`: one of `CJK_STARTS`, or the start of a line or a spaced word (a
    Korean place name, a Japanese dateline's place at a line start)."""
    return text[pos] in CJK_STARTS or pos == 0 or text[pos - 1].isspace()


def _line_start(text: str, pos: int, floor: int) -> int:
    """Where the line holding `pos` starts, or `floor` if that is later (a line break ends its line)."""
    if pos <= floor:
        return floor
    if text[pos - 1] == "\r" and text[pos : pos + 1] == "\n":
        pos -= 1  # inside a CRLF
    return max(text.rfind("\n", floor, pos), text.rfind("\r", floor, pos), floor - 1) + 1


def _line_end(text: str, pos: int, ceiling: int) -> int:
    """Where the line holding `pos` ends (at its line break), or `ceiling` if that is sooner."""
    if pos >= ceiling:
        return ceiling
    if text[pos] == "\n" and text[pos - 1 : pos] == "\r":
        pos += 1  # inside a CRLF
    ends = [i for i in (text.find("\n", pos, ceiling), text.find("\r", pos, ceiling)) if i >= 0]
    return min(ends, default=ceiling)


def _group_span(m: regex.Match[str], name: str) -> tuple[int, int]:
    """The span of the named group in the alternative that matched; the match for an unset `span`."""
    span: tuple[int, int] = m.span(name) if name in m.re.groupindex else (-1, -1)
    if span[0] < 0 and name == "span":
        return m.span()
    return span


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Credits end on a word or a closing mark, not on spaces or a sentence's full stop."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end - start > 3 and text[end - 1] == "." and text[end - 3 : end - 1].isalpha() and text[end - 2].islower():
        end -= 1  # "Image: Reuters." -> "Image: Reuters"; keeps "Jr." and "Pa." initials as they are
    return start, end


def _inside_quotes(text: str, pos: int) -> bool:
    """True when `pos` lies in an open quotation of its paragraph ("Reuters lied," he said).

    Looks back QUOTE_REACH characters at most, so a long paragraph costs no more than a short one."""
    floor = max(0, pos - QUOTE_REACH)
    para = max(
        text.rfind("\n\n", floor, pos), text.rfind("\r\n\r\n", floor, pos), text.rfind("\r\r", floor, pos), floor
    )
    before = text[para:pos]
    if "„" in before:  # German quotes open low and close high: „Das habe ich nie gesagt“
        curly = before.count("„") - before.count("“") - before.count("”")
    else:
        curly = before.count("“") - before.count("”")
    guillemets = before.count("«") - before.count("»")
    corners = before.count("「") - before.count("」") + before.count("『") - before.count("』")
    return curly > 0 or guillemets > 0 or corners > 0 or before.count('"') % 2 == 1


_IMAGE_WORDS = regex.compile(
    r"(?i:photo|foto|фото|pictures?|images?|getty|\bvia\b|\bpool\b|\bfile\b|\bepa\b|handout)|[/|]"
)


def _looks_like_image_credit(text: str, start: int, end: int, mentions: list[AgencyMention]) -> bool:
    """A caption credit has a photo word or separator and more than agency names ("(Reuters/AP)" is not one)."""
    chunk = text[start:end]
    if not _IMAGE_WORDS.search(chunk):
        return False
    rest = list(chunk)
    for m in _within(mentions, start, end):
        rest[m.start - start : m.end - start] = " " * (m.end - m.start)
    return bool(regex.search(r"\p{L}{2,}", "".join(rest)))


def _resolve(found: list[Attribution]) -> list[Attribution]:
    """One credit per place and agency: of overlapping ones, the most specific kind, then the longest."""
    rank = {k: i for i, k in enumerate(KINDS)}
    kept: list[Attribution] = []
    taken: dict[str | None, list[tuple[int, int]]] = {}  # per agency, the kept spans, sorted and disjoint
    for a in sorted(found, key=lambda a: (rank[a.kind], a.span.start - a.span.end, a.span.start, a.agency or "")):
        spans = taken.setdefault(a.agency, [])
        i = bisect.bisect_left(spans, (a.span.start, a.span.end))
        if (i > 0 and spans[i - 1][1] > a.span.start) or (i < len(spans) and spans[i][0] < a.span.end):
            continue
        spans.insert(i, (a.span.start, a.span.end))
        kept.append(a)
    return sorted(kept, key=lambda a: (a.span, rank[a.kind], a.agency or ""))


__all__ = ["KINDS", "TEXT_KINDS", "Attribution", "AttributionKind", "credited_agencies", "find_attributions"]
