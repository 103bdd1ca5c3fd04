"""The wire-agency registry: which agencies exist and how their names appear in text and in source fields.

Credits are found by `shingling.attribution`; this module only knows names. Matching is case-sensitive on
purpose: "AP" is a credit, "ap" inside a word or "app" is not. Each agency has

- `aliases`: names that mean the agency in any credit form ("Reuters", "Agence France-Presse", "AFP");
  aliases of four letters or more with lowercase letters also match in capitals ("REUTERS");
- `strict_aliases`: abbreviations that are also other things ("PA" is Pennsylvania, "PTI" a Pakistani party),
  trusted only in unmistakable credit forms (a dateline, "Source:", a copyright line) or when followed by
  "news agency";
- `vetoes`: patterns that, where they cover a mention, make it something else ("Thomson Reuters", "AP Biology");
- `domains`: web hosts whose articles are the agency's own.

    >>> registry = WireRegistry.default()
    >>> registry.agency_for_source("Reuters UK"), registry.agency_for_source("https://apnews.com/article/x")
    ('reuters', 'ap')
    >>> registry.agency_for_source("The Independent") is None
    True
    >>> [m.agency for m in registry.mentions("Thomson Reuters shares rose, Reuters reported.")]
    ['reuters']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import regex

GENERIC = "agencies"
"""Id of the unnamed-wires entry ("with agencies", "Source: news agencies"): a wire credit naming no agency."""

_DESCRIPTOR = r"(?:[^\S\r\n]+(?:[Nn]ews[^\S\r\n]+)?(?:[Aa]gency|[Ss]ervice)\b)"
"""'news agency' after a name: "Xinhua news agency", "the PA news agency"."""


@dataclass(frozen=True)
class WireAgency:
    """One agency: a canonical id, a display name and the ways its name is written."""

    id: str
    name: str
    aliases: tuple[str, ...]
    strict_aliases: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    vetoes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "strict_aliases": list(self.strict_aliases),
            "domains": list(self.domains),
            "vetoes": list(self.vetoes),
        }


@dataclass(frozen=True)
class AgencyMention:
    """Where an agency is named: `[start, end)` into the text, "news agency" included when it follows.

    `ambiguous`: named by a strict alias ("PA") without "news agency" after it; `vetoed`: inside a veto
    ("Thomson Reuters"). `WireRegistry.mentions` leaves these out unless asked for them.
    """

    agency: str
    start: int
    end: int
    ambiguous: bool = False
    vetoed: bool = False


def _a(
    id: str,
    name: str,
    aliases: Iterable[str],
    strict: Iterable[str] = (),
    domains: Iterable[str] = (),
    vetoes: Iterable[str] = (),
) -> WireAgency:
    return WireAgency(id, name, tuple(aliases), tuple(strict), tuple(domains), tuple(vetoes))


_COMPANY = r"\s+(?:Institute|Foundation|Trust|Holdings|Group|Plc|PLC|shares|stock|Tower|Building|Prize)\b"

DEFAULT_AGENCIES: tuple[WireAgency, ...] = (
    _a(
        "reuters",
        "Reuters",
        # Russian papers write "Reuters" or "Рейтер(с)", Polish ones "agencja Reutera"
        ["Reuters", "Рейтерс", "Рейтер", "Reutera", "رويترز"],
        domains=["reuters.com", "reuters.tv", "reutersagency.com"],
        vetoes=[r"Thomson\s+Reuters", r"Reuters" + _COMPANY, r"Reuters\s*[/-]\s*Ipsos", r"Reuters\s+Next\b"],
    ),
    _a(
        "ap",
        "Associated Press",
        ["Associated Press", "AP", "Ассошиэйтед Пресс", "Ассошиэйтед пресс", "أسوشيتد برس", "اسوشيتد برس"],
        domains=["apnews.com", "ap.org"],
        vetoes=[
            r"\bAP\s+(?:Biology|Calculus|Chemistry|Physics|Psychology|History|English|Literature|Statistics"
            r"|Government|Economics|Spanish|French|Art|Computer|Environmental|Human|exams?|Exams?|class(?:es)?"
            r"|courses?|credits?|tests?|scores?|students?|program|Stylebook|style)\b",
            r"\bAP[-/]NORC\b",
            r"\bAP-(?:HP|\d+)\b",  # Paris hospitals (AP-HP), Spain's AP-7 motorway
            r"\bAP\s+(?:government|Govt|CM|Chief\s+Minister|police|High\s+Court|Assembly|Moller)\b",
        ],
    ),
    _a(
        "afp",
        "Agence France-Presse",
        # Italian papers write "l'Afp"; Russian "Франс Пресс"; Arabic "the French news agency"
        ["Agence France-Presse", "France-Presse", "AFP", "Afp", "Франс Пресс", "Франс-Пресс", "АФП", "فرانس برس",
         "وكالة الأنباء الفرنسية"],
        strict=["أ ف ب", "ا ف ب"],
        domains=["afp.com"],
        vetoes=[
            r"\b[Tt]he\s+AFP\b(?!" + _DESCRIPTOR + ")",
            r"\bAFP\s+(?:officers?|officials?|[Cc]ommissioner|agents?|spokes(?:person|man|woman)|[Dd]eputy"
            r"|[Dd]etectives?|investigators?|[Cc]hief|raids?|test|levels?|[Ff]ederal)\b",
            r"(?:Police|Philippines|Forces|alpha-fetoprotein|[Aa]lpha\s+fetoprotein)\s*\(AFP\)",
        ],
    ),
    _a(
        "pa",
        "PA Media (Press Association)",
        ["PA Media", "Press Association", "PA Wire", "PA Images"],
        strict=["PA"],
        domains=["pa.media", "pamediagroup.com", "pressassociation.com"],
        vetoes=[
            r"\bPA\s+(?:system|systems|announcer|announcement|Governor|governor|Gov\.|State|state|House|Senate"
            r"|Department|Turnpike|Dutch|residents?|voters|Supreme|Capitol)\b",
            r",\s*PA\b",
        ],
    ),
    _a(
        "bloomberg",
        "Bloomberg News",
        ["Bloomberg News", "Bloomberg", "Блумберг", "بلومبرغ", "بلومبيرغ"],
        domains=["bloomberg.com", "bloomberg.net"],
        vetoes=[
            r"(?:Michael|Mike|Mr\.?|Mayor|former\s+mayor)\s+(?:R\.\s+)?Bloomberg",
            r"Bloomberg\s+(?:Philanthropies|LP|L\.P\.|School|administration|campaign|Foundation|Terminal)\b",
            r"Bloomberg['’]s\s+(?:campaign|administration|foundation)",
        ],
    ),
    _a(
        "dpa",
        "dpa (Deutsche Presse-Agentur)",
        # "der Deutschen Presse-Agentur" (dative); "Dpa" in Italian papers; "© dpa-infocom"
        ["Deutsche Presse-Agentur", "Deutschen Presse-Agentur", "dpa-infocom", "dpa", "Dpa", "وكالة الأنباء الألمانية"],
        strict=["DPA", "د ب أ", "د ب ا"],
        domains=["dpa.com", "dpa-international.com"],
    ),
    _a("ansa", "ANSA", ["ANSA", "Ansa"], domains=["ansa.it"]),
    # "Efe" as Italian and Spanish papers write it, not the given name ("Efe Ambrose")
    _a("efe", "EFE", ["Agencia EFE", "EFE", "Efe"], domains=["efe.com", "agenciaefe.es"], vetoes=[r"\bEfe\s+\p{Lu}"]),
    _a(
        "xinhua",
        "Xinhua",
        # and its name in French, Spanish, Italian, Portuguese and German ("l'agence Chine nouvelle")
        ["Xinhua News Agency", "New China News Agency", "Xinhua", "Chine nouvelle", "Nueva China", "Nuova Cina",
         "Nova China", "Neues China", "Синьхуа", "شينخوا"],
        domains=["xinhuanet.com", "news.cn"],
    ),
    _a("tass", "TASS", ["ITAR-TASS", "TASS", "Tass", "ИТАР-ТАСС", "ТАСС", "تاس"], domains=["tass.com", "tass.ru"]),
    _a("kyodo", "Kyodo News", ["Kyodo News", "Kyodo"], domains=["kyodonews.net", "kyodonews.jp"]),
    _a("yonhap", "Yonhap", ["Yonhap News Agency", "Yonhap"], domains=["yna.co.kr", "yonhapnews.co.kr"]),
    # Pakistan's agencies also under their Urdu names, as Urdu datelines write them: "لاہور (اے پی پی)"
    _a("app", "Associated Press of Pakistan", ["Associated Press of Pakistan", "اے پی پی"], strict=["APP"],
       domains=["app.com.pk"]),
    _a("ppi", "Pakistan Press International", ["Pakistan Press International", "پی پی آئی"], strict=["PPI"]),
    _a("nni", "News Network International", ["News Network International", "این این آئی"], strict=["NNI"]),
    _a("inp", "Independent News Pakistan", ["Independent News Pakistan", "آئی این پی"], strict=["INP"]),
    _a(
        "upi",
        "United Press International",
        ["United Press International"],
        strict=["UPI"],
        domains=["upi.com"],
        vetoes=[r"\bUPI\s+(?:payments?|transactions?|ID|apps?|PIN|Lite|transfers?)\b"],
    ),
    _a(
        "anadolu",
        "Anadolu Agency",
        ["Anadolu Agency", "Anadolu Ajansı", "Anadolu", "Анадолу", "وكالة الأناضول"],
        strict=["AA", "الأناضول"],
        domains=["aa.com.tr"],
        vetoes=[r"Anadolu\s+(?:Efes|University|Isuzu|Jet|Group|Sigorta|Holding)\b"],
    ),
    _a(
        "interfax",
        "Interfax",
        # and as Russian writes it, declined: "агентству «Интерфакс»", "сообщил Интерфаксу"
        ["Interfax-Ukraine", "Interfax", "INTERFAX.RU", "Интерфакс-Украина", "Интерфакс", "Интерфакса", "Интерфаксу",
         "Интерфаксом"],
        domains=["interfax.com", "interfax.ru"],
    ),
    _a(
        "pti",
        "Press Trust of India",
        ["Press Trust of India"],
        strict=["PTI"],
        domains=["ptinews.com"],
        vetoes=[
            r"\bPTI\s+(?:chief|[Cc]hairman|leaders?|workers|supporters|government|MNAs?|MPAs?|founder|party"
            r"|protests?|senators?|lawmakers?|candidates?)\b"
        ],
    ),
    _a("ians", "Indo-Asian News Service", ["Indo-Asian News Service", "IANS"], domains=["ianslive.in"]),
    _a("ani", "Asian News International", ["Asian News International"], strict=["ANI"], domains=["aninews.in"]),
    _a(
        "cna",
        "Central News Agency (Taiwan)",
        ["Central News Agency"],
        strict=["CNA"],
        domains=["focustaiwan.tw", "cna.com.tw"],
    ),
    _a("bernama", "Bernama", ["Bernama", "Malaysian National News Agency"], domains=["bernama.com"]),
    _a("antara", "Antara", ["Antara News Agency", "Antara"], domains=["antaranews.com"], vetoes=[r"Antara\s+lain\b"]),
    _a("aap", "Australian Associated Press", ["Australian Associated Press"], strict=["AAP"], domains=["aap.com.au"]),
    _a(
        "cp",
        "The Canadian Press",
        ["Canadian Press"],
        strict=["CP"],
        domains=["thecanadianpress.com"],
        vetoes=[r"\bCP\s+(?:Rail|rail|NYC)\b"],
    ),
    _a("europa_press", "Europa Press", ["Europa Press"], domains=["europapress.es"]),
    _a("ritzau", "Ritzau", ["Ritzaus Bureau", "Ritzau", "ritzau"], domains=["ritzau.dk"]),  # signs "/ritzau/"
    _a("ntb", "NTB (Norsk Telegrambyrå)", ["Norsk Telegrambyrå"], strict=["NTB"], domains=["ntb.no"]),
    _a("tt", "TT Nyhetsbyrån", ["TT Nyhetsbyrån"], strict=["TT"], domains=["tt.se"]),
    _a("belga", "Belga", ["Agence Belga", "Belga"], domains=["belga.be", "belganewsagency.eu"]),
    _a(
        "anp",
        "ANP (Algemeen Nederlands Persbureau)",
        ["Algemeen Nederlands Persbureau"],
        strict=["ANP"],
        domains=["anp.nl"],
    ),
    _a("apa", "APA (Austria Presse Agentur)", ["Austria Presse Agentur"], strict=["APA"], domains=["apa.at"]),
    _a(
        "keystone_sda",
        "Keystone-SDA",
        ["Keystone-SDA", "Keystone-ATS"],
        strict=["SDA", "ATS"],
        domains=["keystone-sda.ch"],
    ),
    _a("jiji", "Jiji Press", ["Jiji Press", "Jiji"], domains=["jiji.com"]),
    _a("ria", "RIA Novosti", ["RIA Novosti", "РИА Новости", "РИА «Новости»"], strict=["RIA", "РИА"],
       domains=["ria.ru"]),
    _a(
        "sputnik",
        "Sputnik",
        ["Sputnik", "سبوتنيك"],
        domains=["sputniknews.com", "sputnikglobe.com"],
        vetoes=[r"Sputnik\s+(?:V|Light|vaccines?|satellites?|moment)\b"],
    ),
    _a(
        "kcna",
        "Korean Central News Agency",
        ["Korean Central News Agency", "KCNA"],
        domains=["kcna.kp", "kcnawatch.org"],
    ),
    # Arabic datelines credit agencies by their Arabic names or initials: "القاهرة (أ ش أ)", "دبي (وام)"
    _a("irna", "IRNA", ["Islamic Republic News Agency", "IRNA", "إرنا", "وكالة الأنباء الإيرانية"],
       domains=["irna.ir"]),
    # and the Gulf, Egyptian, Jordanian and Syrian agencies by their Arabic names ("وكالة الأنباء السعودية")
    _a("wam", "WAM (Emirates News Agency)", ["Emirates News Agency", "وكالة أنباء الإمارات"], strict=["WAM", "وام"],
       domains=["wam.ae"]),
    _a("spa", "Saudi Press Agency", ["Saudi Press Agency", "وكالة الأنباء السعودية"], strict=["SPA", "واس"],
       domains=["spa.gov.sa"]),
    _a("mena", "Middle East News Agency", ["Middle East News Agency", "وكالة أنباء الشرق الأوسط"],
       strict=["MENA", "أ ش أ", "ا ش ا"], vetoes=[r"\bMENA\s+region"]),
    _a("kuna", "Kuwait News Agency", ["Kuwait News Agency", "وكالة الأنباء الكويتية", "كونا"], strict=["KUNA"],
       domains=["kuna.net.kw"]),
    _a("qna", "Qatar News Agency", ["Qatar News Agency", "وكالة الأنباء القطرية"], strict=["QNA", "قنا"],
       domains=["qna.org.qa"]),
    _a("petra", "Petra (Jordan News Agency)", ["Jordan News Agency", "وكالة الأنباء الأردنية"],
       strict=["Petra", "بترا"], domains=["petra.gov.jo"]),
    _a("sana", "SANA (Syrian Arab News Agency)", ["Syrian Arab News Agency", "الوكالة العربية السورية للأنباء"],
       strict=["SANA", "سانا"], domains=["sana.sy"]),
    _a("pap", "Polish Press Agency (PAP)", ["Polish Press Agency"], strict=["PAP"], domains=["pap.pl"]),
    _a("lusa", "Lusa", ["Lusa"], domains=["lusa.pt"]),
    _a("prensa_latina", "Prensa Latina", ["Prensa Latina"], domains=["prensa-latina.cu", "plenglish.com"]),
    _a("vna", "Vietnam News Agency", ["Vietnam News Agency"], strict=["VNA"], domains=["vnanet.vn"]),
    _a("pna", "Philippine News Agency", ["Philippine News Agency"], strict=["PNA"], domains=["pna.gov.ph"]),
    _a("ukrinform", "Ukrinform", ["Ukrinform", "Укринформ"], domains=["ukrinform.net", "ukrinform.ua"]),
    _a(
        GENERIC,
        "News agencies (unnamed)",
        [],
        strict=[
            "news agencies",
            "News agencies",
            "agencies",
            "Agencies",
            "wire services",
            "Wire services",
            "wires",
            "Wires",
            "agency",
            "Agency",
            # "(Avec agences)", "mit Material der Agenturen", "con información de agencias", "com agências"
            "agences",
            "Agences",
            "Agenturen",
            "agencias",
            "Agencias",
            "agenzie",
            "Agenzie",
            "agências",
            "Agências",
            "نیوز ایجنسیاں",  # Urdu: "news agencies", as in a dateline "کراچی (نیوز ایجنسیاں)"
            "نیوز ایجنسیز",
        ],
        vetoes=[
            # part of a proper name: "European Space Agency" (not "With agency inputs", "Source: Agencies")
            r"(?<=\b(?!(?:With|WITH|And|From|The|By|Source|Sources|Photo)\b)\p{Lu}[\p{L}\-]*\s)[Aa]genc(?:y|ies)",
            r"[Aa]genc(?:y|ies)\s*/\s*\w",  # "Agencies/Organizations"
        ],
    ),
)


def _words(alias: str) -> str:
    """An alias as a pattern: any run of spaces (NBSP, a line wrap) between words; a hyphen or a space."""
    return "".join(_units(alias))


def _units(alias: str) -> tuple[str, ...]:
    """The pattern of an alias unit by unit: each character, a run of spaces, a hyphen between words."""
    out: list[str] = []
    for piece in regex.split(r"(\s+|(?<=\w)-(?=\w))", alias):
        if not piece:
            continue
        if piece.isspace():
            out.append(r"\s+")
        elif piece == "-":
            out.append(r"(?:[-\u2010\u2011]|\s+)")
        else:
            out.extend(regex.escape(c) for c in piece)
    return tuple(out)


def _unit_trie(names: Iterable[tuple[str, ...]]) -> str:
    """Alias patterns (`_units`) as one tree of their common prefixes, the longer name tried first (greedy), as
    `_literal_trie` does for first words: a credit pattern tries the names at every place it may start, and a
    flat alternation of some 300 names was tried one name after another there."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    ends_here = False
    for name in sorted(set(names)):
        if not name:
            ends_here = True
            continue
        by_first.setdefault(name[0], []).append(name[1:])
    branches = [unit + _unit_trie(rest) for unit, rest in by_first.items()]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not ends_here else "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body  # greedy: the longer name is tried first


_ARABIC_LETTER = regex.compile(r"\p{Arabic}")
_PROCLITICS = ("و", "ب", "ل", "ول", "وب", "ف")
"""What Arabic writes glued to the front of a word: and, by, to ("قال لرويترز": told Reuters, "لوكالة": to the
agency). Urdu does not, and these letters start no agency name, so a name with one in front is the name."""


def _variants(alias: str, clitics: bool = True) -> list[str]:
    """The alias as written and, for names of four letters or more, in capitals (datelines, captions); an
    Arabic-script alias also with a proclitic glued in front ("لرويترز"; "ل" + "ال..." is written "لل..."), unless
    `clitics` is False (the credit patterns write the proclitic themselves, and a shorter names pattern runs faster
    in every one of them)."""
    out = [alias]
    if len(alias) >= 4 and alias != alias.upper():
        out.append(alias.upper())
    if clitics and _ARABIC_LETTER.match(alias) and len(alias) >= 3:
        for clitic in _PROCLITICS:
            out.append(clitic + (alias[1:] if clitic.endswith("ل") and alias.startswith("ال") else alias))
    return out


def _key(name: str) -> str:
    """How names compare in source fields: case, spacing and hyphens ignored."""
    return regex.sub(r"[\s\-\u2010\u2011._]+", " ", name.casefold()).strip()


class WireRegistry:
    """The agencies to look for, with compiled patterns for finding their names.

    Build it with `WireRegistry.default()`, `WireRegistry.from_dict(...)` (a service setting) or
    `registry.with_extra(...)`. Immutable: the `with_*` methods return a new registry.
    """

    def __init__(self, agencies: Iterable[WireAgency]) -> None:
        self._agencies: dict[str, WireAgency] = {}
        for agency in agencies:
            if not agency.id or not regex.fullmatch(r"[a-z0-9_]+", agency.id):
                raise ValueError(f"agency id {agency.id!r} must be lowercase letters, digits or '_' (e.g. 'reuters')")
            if agency.id in self._agencies:
                raise ValueError(f"agency id {agency.id!r} appears twice; merge its aliases into one entry")
            if not agency.aliases and not agency.strict_aliases:
                raise ValueError(f"agency {agency.id!r} has no aliases: give at least one name to look for")
            self._agencies[agency.id] = agency
        self._ids = list(self._agencies)
        self._vetoes = {a.id: regex.compile("|".join(f"(?:{v})" for v in a.vetoes)) for a in self if a.vetoes}
        self._finder = regex.compile(self._finder_source())
        self._first_words = _first_words_pattern(n for a in self for n in (*a.aliases, *a.strict_aliases))
        self._exact = {_key(n): a.id for a in self for n in (a.id, a.name, *a.aliases, *a.strict_aliases)}

    # -- construction -------------------------------------------------------------------------------------

    @classmethod
    def default(cls) -> WireRegistry:
        """The built-in agencies (shared, immutable)."""
        return _default_registry()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WireRegistry:
        """A registry of exactly these agencies: `{id: {"name", "aliases", "strict_aliases", "domains", "vetoes"}}`.

        A list instead of the inner mapping is taken as the aliases: `{"nampa": ["NAMPA"]}`.
        """
        return cls(_agency_from_dict(id_, spec, None) for id_, spec in data.items())

    def with_extra(self, data: Mapping[str, Any]) -> WireRegistry:
        """A copy with more agencies, or more names for known ones (lists are added to, the name replaced)."""
        agencies = dict(self._agencies)
        for id_, spec in data.items():
            agencies[id_] = _agency_from_dict(id_, spec, agencies.get(id_))
        return WireRegistry(agencies.values())

    def to_dict(self) -> dict[str, dict[str, Any]]:
        """The registry as `from_dict` takes it."""
        return {a.id: a.to_dict() for a in self}

    # -- lookup ---------------------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[WireAgency]:
        return iter(self._agencies.values())

    def __len__(self) -> int:
        return len(self._agencies)

    def __contains__(self, agency_id: object) -> bool:
        return agency_id in self._agencies

    def __getitem__(self, agency_id: str) -> WireAgency:
        return self._agencies[agency_id]

    def name(self, agency_id: str) -> str:
        """The display name of an agency id."""
        return self._agencies[agency_id].name

    def alternation(self) -> str:
        """A plain pattern matching any agency's name (longest first), cheap to use inside credit patterns.

        It does not tell agencies apart and has no guards or vetoes: which agency a credit names, and
        whether the name counts, is for `mentions` to say.
        """
        return self._alternation

    @functools.cached_property
    def _alternation(self) -> str:
        variants = {v for a in self for n in (*a.aliases, *a.strict_aliases) for v in _variants(n, clitics=False)}
        return "(?:" + _unit_trie(_units(v) for v in variants) + r")(?!\w)" + _DESCRIPTOR + "?"

    def mentions(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        loose: bool = False,
        vetoes: bool = True,
        everything: bool = False,
    ) -> list[AgencyMention]:
        """Every agency named in `text[start:end]`, in order.

        Vetoed mentions ("Thomson Reuters") are left out, and with `loose` (running text) ambiguous ones
        ("PA" without "news agency") too; `vetoes=False` keeps the vetoed, `everything` keeps all, flagged.
        """
        end = len(text) if end is None else end
        found: list[AgencyMention] = []
        reach = start
        for candidate in self._first_words.finditer(text, start, end):
            if candidate.start() < reach:
                continue
            m = self._finder.match(text, candidate.start(), end)
            if m is None or m.lastgroup is None:
                continue
            reach = m.end()
            group = m.lastgroup
            agency = self._ids[int(group[1:])]
            mention = AgencyMention(
                agency,
                m.start(),
                m.end(),
                ambiguous=group.startswith("s") and m.end(group) == m.end(),
                vetoed=self._vetoed(agency, text, m.start(), m.end()),
            )
            if everything or not ((vetoes and mention.vetoed) or (loose and mention.ambiguous)):
                found.append(mention)
        return found

    def agency_for_source(self, source: str) -> str | None:
        """The agency a stored article's source field names ("Reuters UK", "apnews.com", "AFP"), else None.

        A field that is a host or URL is matched on the agencies' domains; otherwise the field must be an
        agency's name, or start with one ("AP News"), or credit one after "via" ("Yahoo News via Reuters").
        """
        source = source.strip()
        if not source:
            return None
        host = _host(source)
        if host is not None:
            for agency in self:
                if any(host == d or host.endswith("." + d) for d in agency.domains):
                    return agency.id
            labels = host.split(".")[:-1]
            for label in labels:
                hit = self._exact.get(_key(label))
                if hit is not None and len(label) >= 4:
                    return hit
            return None
        exact = self._exact.get(_key(regex.sub(r"^(?:the|The|THE)\s+", "", source)))
        if exact is not None:
            return exact
        for mention in self.mentions(source):
            before = source[: mention.start]
            if regex.fullmatch(r"\s*(?:(?:the|The|THE)\s+)?", before) or regex.search(
                r"(?:\bvia|\bfrom|\()\s*(?:(?:the|The)\s+)?$", before
            ):
                return mention.agency
        return None

    # -- internals ------------------------------------------------------------------------------------------

    def _vetoed(self, agency: str, text: str, start: int, end: int) -> bool:
        """In one of the agency's vetoes, or in a web address or e-mail ("example.org/MENA.html")."""
        token_start = max(text.rfind(c, max(0, start - 200), start) for c in " \t\r\n\u00a0") + 1
        token_end = min((i for i in (text.find(c, end, end + 200) for c in " \t\r\n\u00a0") if i >= 0), default=end)
        if _WEB_ADDRESS.search(text, token_start, max(token_end, end)):
            return True
        veto = self._vetoes.get(agency)
        if veto is None:
            return False
        window = veto.finditer(text, max(0, start - 80), min(len(text), end + 80))
        return any(v.start() < end and start < v.end() for v in window)

    def _finder_source(self) -> str:
        """Every alias as a whole word, longest first, guarded against other agencies' longer names; one group
        per agency and kind of alias (`a<i>` plain, `s<i>` strict), so a match says which it was."""
        groups = []
        for i, agency in enumerate(self):
            for prefix, names in (("a", agency.aliases), ("s", agency.strict_aliases)):
                if not names:
                    continue
                variants = [(v, n) for n in names for v in (_variants(n) if prefix == "a" else [n])]
                variants.sort(key=lambda vn: -len(vn[0]))
                body = "|".join(_words(v) + self._guards(agency.id, n) for v, n in variants)
                groups.append(f"(?P<{prefix}{i}>(?<![\\w@])(?:{body})(?!\\w))")
        return "(?:" + "|".join(groups) + ")" + _DESCRIPTOR + "?"

    def _guards(self, agency_id: str, alias: str) -> str:
        """Keep an alias from matching inside another agency's longer name ("Associated Press" of Pakistan)."""
        guards = []
        low = _key(alias)
        for other_id, longer, lk in self._keys:
            if other_id == agency_id:
                continue
            if lk.startswith(low + " "):
                guards.append(f"(?!(?i:{_words(longer[len(alias) :])}))")
            elif lk.endswith(" " + low):
                guards.append(f"(?<!(?i:{_words(longer[: len(longer) - len(alias)])}))")
        return "".join(guards)

    @functools.cached_property
    def _keys(self) -> list[tuple[str, str, str]]:
        """Every alias with its agency and comparison key, for the guards."""
        return [(a.id, alias, _key(alias)) for a in self for alias in (*a.aliases, *a.strict_aliases)]

    def __repr__(self) -> str:
        return f"WireRegistry({len(self)} agencies)"


_WEB_ADDRESS = regex.compile(r"://|\bwww\.|@\w|\.(?:html?|php|aspx?)\b")


def _first_words_pattern(aliases: Iterable[str]) -> re.Pattern[str]:
    """A quick literal scan for where an alias may start (its first word, as written or in capitals).

    The full alias patterns (guards, vetoes) are slow to try at every position; they are tried only here.
    """
    words = set()
    for alias in aliases:
        for variant in _variants(alias):
            words.add(regex.split(r"[\s\-\u2010\u2011]+", variant)[0])
    return re.compile(rf"(?<![\w@]){_literal_trie(words)}(?!\w)")


def _literal_trie(words: Iterable[str]) -> str:
    """A pattern matching any of `words`, longest first, as a tree of their common prefixes: "AP", "APA" and
    "AFP" become `A(?:FP|P(?:A)?)`. `re` tries the branches of a plain alternation one after the other at
    every position of the text; here a position that starts no word is left after one character, and the
    scan of a text for an agency's first word takes a third of the time."""
    return _unit_trie(tuple(re.escape(c) for c in word) for word in words)


def _host(source: str) -> str | None:
    """The lowercase host when the field is a URL or a bare domain ("reuters.com"), else None."""
    if regex.search(r"\s", source):
        return None
    candidate = source if "://" in source else "//" + source
    host = urlsplit(candidate).hostname
    if host is None or "." not in host or not regex.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", host):
        return None
    return host.removeprefix("www.")


def _agency_from_dict(id_: str, spec: Any, base: WireAgency | None) -> WireAgency:
    """One agency from a setting; extends `base` when the id is already known."""
    if isinstance(spec, list | tuple):
        spec = {"aliases": list(spec)}
    if not isinstance(spec, Mapping):
        raise ValueError(f"agency {id_!r}: expected a list of aliases or a mapping with 'aliases', got {spec!r}")
    unknown = set(spec) - {"name", "aliases", "strict_aliases", "domains", "vetoes"}
    if unknown:
        raise ValueError(
            f"agency {id_!r}: unknown keys {sorted(unknown)}; use name, aliases, strict_aliases, domains, vetoes"
        )
    for key in ("aliases", "strict_aliases", "domains", "vetoes"):
        if not isinstance(spec.get(key, []), list | tuple) or not all(isinstance(v, str) for v in spec.get(key, [])):
            raise ValueError(f"agency {id_!r}: {key!r} must be a list of strings")
    for veto in spec.get("vetoes", []):
        try:
            regex.compile(veto)
        except regex.error as exc:
            raise ValueError(f"agency {id_!r}: veto {veto!r} is not a valid pattern ({exc})") from None
    if base is None:
        base = WireAgency(id_, str(spec.get("name", id_)), ())
    elif "name" in spec:
        base = replace(base, name=str(spec["name"]))

    def merged(key: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*getattr(base, key), *spec.get(key, [])]))

    return replace(
        base,
        aliases=merged("aliases"),
        strict_aliases=merged("strict_aliases"),
        domains=tuple(d.lower() for d in merged("domains")),
        vetoes=merged("vetoes"),
    )


@functools.cache
def _default_registry() -> WireRegistry:
    return WireRegistry(DEFAULT_AGENCIES)


__all__ = ["DEFAULT_AGENCIES", "GENERIC", "AgencyMention", "WireAgency", "WireRegistry"]
