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

CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}\u30fc\u3005"
"""Letters of the scripts written without spaces between words (Chinese, Japanese) or with particles glued to
them (Korean): "据新华社报道", "ロイター通信によると", "로이터통신에 따르면". Next to these a name needs no word
boundary, which no name of these scripts could otherwise ever have there."""
_CJK_RANGES = "\u1100-\u11ff\u3005\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
"""The same letters as ranges, for the `re` module (the first-word scan), which has no script classes."""
_CJK_LETTER = re.compile(f"[{_CJK_RANGES}]")


def has_cjk(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether `text[start:end]` holds a CJK letter (a quick scan: `re` with plain ranges, none for ASCII)."""
    if text.isascii():
        return False
    return _CJK_LETTER.search(text, start, len(text) if end is None else end) is not None
BEFORE = rf"(?<![^\W{CJK}])(?<!@)"
"""Where a name may start: not inside a word or an address, but right after a CJK letter ("据路透社", "AP통신")."""
AFTER = rf"(?![^\W{CJK}])"
"""Where a name may end: not inside a word, but right before a CJK letter ("路透社报道", "연합뉴스에")."""


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
        # Chinese "路透社" and "路透" (its datelines: "路透北京12月7日 -"), Japanese "ロイター", Korean "로이터"
        ["Reuters", "Рейтерс", "Рейтер", "Reutera", "رويترز", "路透社", "路透", "ロイター", "로이터"],
        domains=["reuters.com", "reuters.tv", "reutersagency.com"],
        vetoes=[r"Thomson\s+Reuters", r"Reuters" + _COMPANY, r"Reuters\s*[/-]\s*Ipsos", r"Reuters\s+Next\b",
                r"汤森路透|湯森路透|トムソン・?ロイター|톰슨\s*로이터"],
    ),
    _a(
        "ap",
        "Associated Press",
        ["Associated Press", "AP", "Ассошиэйтед Пресс", "Ассошиэйтед пресс", "أسوشيتد برس", "اسوشيتد برس", "美联社",
         "美聯社", "美国联合通讯社", "美國聯合通訊社"],
        strict=["美联", "美聯"],  # Xinhua's photo credits: "（新华社/美联）"; not "美联储", the Fed
        domains=["apnews.com", "ap.org"],
        vetoes=[
            r"\bAP\s+(?:Biology|Calculus|Chemistry|Physics|Psychology|History|English|Literature|Statistics"
            r"|Government|Economics|Spanish|French|Art|Computer|Environmental|Human|exams?|Exams?|class(?:es)?"
            r"|courses?|credits?|tests?|scores?|students?|program|Stylebook|style)\b",
            r"\bAP[-/]NORC\b",
            r"\bAP-(?:HP|\d+)\b",  # Paris hospitals (AP-HP), Spain's AP-7 motorway
            r"\bAP\s+(?:government|Govt|CM|Chief\s+Minister|police|High\s+Court|Assembly|Moller)\b",
            r"美[联聯](?:储|儲|物业|物業|航|邦)",
        ],
    ),
    _a(
        "afp",
        "Agence France-Presse",
        # Italian papers write "l'Afp"; Russian "Франс Пресс"; Arabic "the French news agency"
        ["Agence France-Presse", "France-Presse", "AFP", "Afp", "Франс Пресс", "Франс-Пресс", "АФП", "فرانس برس",
         "وكالة الأنباء الفرنسية", "法新社", "法国新闻社", "法國新聞社"],
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
        ["Bloomberg News", "Bloomberg", "Блумберг", "بلومبرغ", "بلومبيرغ", "彭博新闻社", "彭博新聞社", "彭博社", "彭博",
         "ブルームバーグ", "블룸버그"],
        domains=["bloomberg.com", "bloomberg.net"],
        vetoes=[
            r"(?:Michael|Mike|Mr\.?|Mayor|former\s+mayor)\s+(?:R\.\s+)?Bloomberg",
            r"Bloomberg\s+(?:Philanthropies|LP|L\.P\.|School|administration|campaign|Foundation|Terminal)\b",
            r"Bloomberg['’]s\s+(?:campaign|administration|foundation)",
            r"彭博士|ブルームバーグ(?:市長|氏)|블룸버그\s*(?:시장|전\s*시장)",
        ],
    ),
    _a(
        "dpa",
        "dpa (Deutsche Presse-Agentur)",
        # "der Deutschen Presse-Agentur" (dative); "Dpa" in Italian papers; "© dpa-infocom"
        ["Deutsche Presse-Agentur", "Deutschen Presse-Agentur", "dpa-infocom", "dpa", "Dpa", "وكالة الأنباء الألمانية",
         "德新社", "德国新闻社", "德國新聞社", "DPA通信", "dpa통신", "DPA통신"],
        strict=["DPA", "د ب أ", "د ب ا"],
        domains=["dpa.com", "dpa-international.com"],
    ),
    _a("ansa", "ANSA", ["ANSA", "Ansa", "安莎社"], domains=["ansa.it"]),
    # "Efe" as Italian and Spanish papers write it, not the given name ("Efe Ambrose")
    _a("efe", "EFE", ["Agencia EFE", "EFE", "Efe", "埃菲社"], domains=["efe.com", "agenciaefe.es"],
       vetoes=[r"\bEfe\s+\p{Lu}"]),
    _a(
        "xinhua",
        "Xinhua",
        # and its name in French, Spanish, Italian, Portuguese and German ("l'agence Chine nouvelle")
        ["Xinhua News Agency", "New China News Agency", "Xinhua", "Chine nouvelle", "Nueva China", "Nuova Cina",
         "Nova China", "Neues China", "Синьхуа", "شينخوا", "新华社", "新華社", "新华通讯社", "新華通訊社", "新华网",
         "新華網", "신화통신", "신화사"],
        strict=["신화"],  # "myth": Xinhua only in a picture's credit, "[신화=연합뉴스]"
        domains=["xinhuanet.com", "news.cn"],
        vetoes=[r"新[华華]社[区區]"],  # a neighbourhood's name
    ),
    _a("tass", "TASS", ["ITAR-TASS", "TASS", "Tass", "ИТАР-ТАСС", "ТАСС", "تاس", "塔斯社", "タス通信", "타스통신"],
       domains=["tass.com", "tass.ru"]),
    # "共同" alone is "joint" ("共同声明"): Kyodo only in its datelines, "【ワシントン共同】", and signatures,
    # "（共同）"
    _a("kyodo", "Kyodo News", ["Kyodo News", "Kyodo", "共同通信社", "共同通信", "共同社", "共同通讯社", "共同通訊社",
                               "교도통신"], strict=["共同"],
       domains=["kyodonews.net", "kyodonews.jp"], vetoes=[r"共同社[会會区區]"]),
    _a("yonhap", "Yonhap", ["Yonhap News Agency", "Yonhap", "연합뉴스", "韩联社", "韓聯社", "聯合ニュース", "聯合通信",
                            "韩国联合通讯社", "韓國聯合通訊社", "联合通讯社", "聯合通訊社"],
       domains=["yna.co.kr", "yonhapnews.co.kr"], vetoes=[r"연합뉴스\s*TV"]),
    # Pakistan's agencies also under their Urdu names, as Urdu datelines write them: "لاہور (اے پی پی)"
    _a("app", "Associated Press of Pakistan", ["Associated Press of Pakistan", "اے پی پی"], strict=["APP"],
       domains=["app.com.pk"]),
    _a("ppi", "Pakistan Press International", ["Pakistan Press International", "پی پی آئی"], strict=["PPI"]),
    _a("nni", "News Network International", ["News Network International", "این این آئی"], strict=["NNI"]),
    _a("inp", "Independent News Pakistan", ["Independent News Pakistan", "آئی این پی"], strict=["INP"]),
    _a(
        "upi",
        "United Press International",
        ["United Press International", "合众国际社", "合眾國際社"],
        strict=["UPI"],
        domains=["upi.com"],
        vetoes=[r"\bUPI\s+(?:payments?|transactions?|ID|apps?|PIN|Lite|transfers?)\b"],
    ),
    _a(
        "anadolu",
        "Anadolu Agency",
        ["Anadolu Agency", "Anadolu Ajansı", "Anadolu", "Анадолу", "وكالة الأناضول", "阿纳多卢通讯社", "阿納多盧通訊社",
         "阿纳多卢社", "アナトリア通信", "아나돌루통신"],
        strict=["AA", "الأناضول"],
        domains=["aa.com.tr"],
        vetoes=[r"Anadolu\s+(?:Efes|University|Isuzu|Jet|Group|Sigorta|Holding)\b"],
    ),
    _a(
        "interfax",
        "Interfax",
        # and as Russian writes it, declined: "агентству «Интерфакс»", "сообщил Интерфаксу"
        ["Interfax-Ukraine", "Interfax", "INTERFAX.RU", "Интерфакс-Украина", "Интерфакс", "Интерфакса", "Интерфаксу",
         "Интерфаксом", "国际文传电讯社", "國際文傳電訊社", "インタファクス通信", "인테르팍스"],
        domains=["interfax.com", "interfax.ru"],
    ),
    _a(
        "pti",
        "Press Trust of India",
        ["Press Trust of India", "印度报业托拉斯", "印度報業托拉斯"],
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
        # "中央社" and not "中央社会主义学院" (the Central Institute of Socialism)
        ["Central News Agency", "中央社", "中央通讯社", "中央通訊社", "中央通信社", "중앙통신사"],
        strict=["CNA"],
        domains=["focustaiwan.tw", "cna.com.tw"],
        vetoes=[r"中央社[会會]"],
    ),
    _a("bernama", "Bernama", ["Bernama", "Malaysian National News Agency", "马新社", "馬新社", "马来西亚国家新闻社",
                              "馬來西亞國家新聞社"], domains=["bernama.com"]),
    _a("antara", "Antara", ["Antara News Agency", "Antara", "安塔拉通讯社", "安塔拉通訊社", "安塔拉社"],
       domains=["antaranews.com"], vetoes=[r"Antara\s+lain\b"]),
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
    # "時事" alone is "current affairs": Jiji only in its datelines, "【ワシントン時事】", and "AFP時事"
    _a("jiji", "Jiji Press", ["Jiji Press", "Jiji", "時事通信社", "時事通信", "时事社", "時事社", "时事通讯社",
                              "時事通訊社", "지지통신"], strict=["時事"],
       domains=["jiji.com"]),
    _a("ria", "RIA Novosti", ["RIA Novosti", "РИА Новости", "РИА «Новости»", "俄新社"], strict=["RIA", "РИА"],
       domains=["ria.ru"]),
    _a(
        "sputnik",
        "Sputnik",
        ["Sputnik", "سبوتنيك", "卫星通讯社", "衛星通訊社", "スプートニク", "스푸트니크"],
        domains=["sputniknews.com", "sputnikglobe.com"],
        vetoes=[r"Sputnik\s+(?:V|Light|vaccines?|satellites?|moment)\b"],
    ),
    _a(
        "kcna",
        "Korean Central News Agency",
        ["Korean Central News Agency", "KCNA", "朝中社", "朝鲜中央通讯社", "朝鮮中央通訊社", "朝鮮中央通信",
         "조선중앙통신"],
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
    _a("vna", "Vietnam News Agency", ["Vietnam News Agency", "越通社", "ベトナム通信", "베트남통신"], strict=["VNA"],
       domains=["vnanet.vn"]),
    _a("pna", "Philippine News Agency", ["Philippine News Agency"], strict=["PNA"], domains=["pna.gov.ph"]),
    # China's second state agency, and South Korea's private wires
    _a(
        "chinanews",
        "China News Service",
        ["China News Service", "中新社", "中国新闻社", "中國新聞社", "中新网", "中新網", "中国新闻网", "中國新聞網",
         "中国新聞社", "중국신문사", "중국신문망", "중신사"],
        domains=["chinanews.com", "chinanews.com.cn", "ecns.cn"],
        vetoes=[r"中新社[区區]"],
    ),
    _a("newsis", "Newsis", ["Newsis", "뉴시스통신사", "뉴시스"], domains=["newsis.com"]),
    _a("news1", "News1 Korea", ["News1 Korea", "News1", "뉴스1"], domains=["news1.kr"]),
    _a("ukrinform", "Ukrinform", ["Ukrinform", "Укринформ"], domains=["ukrinform.net", "ukrinform.ua"]),
    _a(
        GENERIC,
        "News agencies (unnamed)",
        ["外电", "外電"],  # Chinese and Japanese: "foreign wire reports" ("综合外电报道", "外電によると")
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
        self._finder = regex.compile(self._finder_source(cjk=False))
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

    def alternation(self, cjk: bool = False) -> str:
        """A plain pattern matching any agency's name (longest first), cheap to use inside credit patterns.

        It does not tell agencies apart and has no guards or vetoes: which agency a credit names, and
        whether the name counts, is for `mentions` to say.
        """
        return self._alternation_cjk if cjk else self._alternation

    @functools.cached_property
    def _names(self) -> frozenset[str]:
        """Every alias as written and in capitals (no Arabic proclitics: the credit patterns write those)."""
        return frozenset(v for a in self for n in (*a.aliases, *a.strict_aliases) for v in _variants(n, clitics=False))

    @functools.cached_property
    def _alternation(self) -> str:
        """For texts without CJK letters: their names left out, plain word boundaries (faster, same matches)."""
        plain = (v for v in self._names if not _CJK_LETTER.search(v))
        return "(?:" + _unit_trie(_units(v) for v in plain) + r")(?!\w)" + _DESCRIPTOR + "?"

    @functools.cached_property
    def _alternation_cjk(self) -> str:
        """With the CJK names; a name ending in a CJK letter needs no boundary after it ("韩联社7日报道"). Those
        come first, so "DPA通信" is tried before "DPA"."""
        cjk_end = {v for v in self._names if _CJK_LETTER.match(v[-1])}
        first, rest = _unit_trie(_units(v) for v in cjk_end), _unit_trie(_units(v) for v in self._names - cjk_end)
        return f"(?:{first}|(?:{rest}){AFTER}){_DESCRIPTOR}?"

    @functools.cached_property
    def _finder_cjk(self) -> regex.Pattern[str]:
        return regex.compile(self._finder_source(cjk=True))

    def mentions(
        self,
        text: str,
        start: int = 0,
        end: int | None = None,
        *,
        loose: bool = False,
        vetoes: bool = True,
        everything: bool = False,
        cjk: bool | None = None,
    ) -> list[AgencyMention]:
        """Every agency named in `text[start:end]`, in order.

        Vetoed mentions ("Thomson Reuters") are left out, and with `loose` (running text) ambiguous ones
        ("PA" without "news agency") too; `vetoes=False` keeps the vetoed, `everything` keeps all, flagged. `cjk`:
        whether the text holds CJK letters, when the caller knows (else looked for).
        """
        end = len(text) if end is None else end
        found: list[AgencyMention] = []
        reach = start
        cjk = has_cjk(text, start, end) if cjk is None else cjk
        scan, finder = (self._first_words[1], self._finder_cjk) if cjk else (self._first_words[0], self._finder)
        for candidate in scan.finditer(text, start, end):
            if candidate.start() < reach:
                continue
            m = finder.match(text, candidate.start(), end)
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

    def _finder_source(self, cjk: bool) -> str:
        """Every alias as a whole word, longest first, guarded against other agencies' longer names; one group
        per agency and kind of alias (`a<i>` plain, `s<i>` strict), so a match says which it was. Without `cjk`
        (for texts without CJK letters), the names in CJK letters are left out and the boundaries are plain."""
        # plain: one boundary around a group's names; CJK: each name's own, none at an edge that is a CJK letter
        # ("韩联社7日", "2024年新华社")
        before, after = ("", "") if cjk else (r"(?<![\w@])", r"(?!\w)")

        def edged(v: str) -> str:
            if not cjk:
                return _words(v)
            return (BEFORE if not _CJK_LETTER.match(v) else "") + _words(v)

        def closed(v: str) -> str:
            return AFTER if cjk and not _CJK_LETTER.match(v[-1]) else ""

        groups = []
        for i, agency in enumerate(self):
            for prefix, every in (("a", agency.aliases), ("s", agency.strict_aliases)):
                names = every if cjk else tuple(n for n in every if not _CJK_LETTER.search(n))
                if not names:
                    continue
                variants = [(v, n) for n in names for v in (_variants(n) if prefix == "a" else [n])]
                variants.sort(key=lambda vn: -len(vn[0]))
                body = "|".join(edged(v) + self._guards(agency.id, n) + closed(v) for v, n in variants)
                groups.append(f"(?P<{prefix}{i}>{before}(?:{body}){after})")
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


def _first_words_pattern(aliases: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Quick literal scans for where an alias may start (its first word, as written or in capitals): one for
    texts without CJK letters, one with the CJK names and boundaries for texts with them.

    The full alias patterns (guards, vetoes) are slow to try at every position; they are tried only here. A text
    without CJK letters needs neither the CJK names (each first letter more costs the scan at every position)
    nor the CJK-aware boundaries, which are slower than plain ones; both scans find the same there. The scan of CJK
    texts has no boundaries at all: what it finds is a place to try, and the finder knows the boundaries.
    """
    words = set()
    for alias in aliases:
        for variant in _variants(alias):
            words.add(regex.split(r"[\s\-\u2010\u2011]+", variant)[0])
    plain = {w for w in words if not _CJK_LETTER.search(w)}
    # in a CJK text, any place a first word starts (a superset: the finder checks the boundaries)
    return re.compile(rf"(?<![\w@]){_literal_trie(plain)}(?!\w)"), re.compile(_literal_trie(words))


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
