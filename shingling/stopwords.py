"""Function words that carry no evidence of reuse on their own; alignment seeds skip them.

English is the bulk of news reuse; other languages have no stopwords here and are matched on all words. Urdu's
function words are also `WEAK`: matched (seeds, signatures), but no evidence when the alignment weighs vocabulary;
so are those of French, German, Spanish, Italian, Portuguese, Dutch, Polish, Swedish, Russian and Arabic in texts
written in them (`LANGUAGES`).
"""

from __future__ import annotations

from pathlib import Path

ENGLISH: frozenset[str] = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not
    now of off on once only or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves s t d ll m re ve
    said says say one two new mr mrs ms""".split()
)


URDU: frozenset[str] = frozenset(
    """میں کے کی کا کو سے نے پر تک لیے لئے کیلئے کیلیے والا والی والے بارے ذریعے مطابق طرف جانب ساتھ بغیر علاوہ
    دوران بعد پہلے قبل تحت درمیان سمیت اور یا لیکن مگر کہ جبکہ بلکہ تاہم اگر تو کیونکہ چونکہ لہذا پھر جب تب ہے ہیں
    ہوں ہو تھا تھی تھے تھیں ہوا ہوئی ہوئے ہوگا ہوگی ہوگے گا گی گے رہا رہی رہے رہیں چکا چکی چکے سکتا سکتی سکتے
    جاتا جاتی جاتے جائے جائیں جانے گیا گئی گئے گئیں ہوگیا ہوگئی ہوگئے ہوچکا ہوچکی ہوچکے کیا کر کرنے کرتے کرتی کرتا
    کرکے کرے کریں کرنا دیا دی دیے دیئے دیں دینے لیا لی لیں یہ وہ اس ان انہوں انھوں انہیں انھیں اسے جو جس جن
    جنہوں کوئی کچھ سب ہر ایسے ایسا ایسی اپنے اپنی اپنا خود بھی ہی نہیں نہ صرف بہت زیادہ کم ایک دو کہا کہنا""".split()
)
"""Urdu function words (postpositions, conjunctions, auxiliaries and light verbs, pronouns, particles), from the
grammar, not from any corpus. Urdu phrasing lives in them, so they stay content words (seeds, signatures and the
derivation measure need them: without them COUNTER's coverage loses 0.06 binary F1); they are only `WEAK`."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LANGUAGES: dict[str, frozenset[str]] = {
    "fr": _words(
        """le la les l un une des du de d au aux et ou mais donc or ni que qu qui quoi dont où ce cet cette ces c
        ceci cela ça son sa ses leur leurs mon ma mes ton ta tes notre nos votre vos il elle ils elles on nous vous
        je j tu te me m se s lui eux y en ne n pas plus dans par pour sur sous avec sans entre vers chez depuis
        pendant après selon jusqu jusque lors est sont était étaient été être a ont avait avaient avoir
        eu fait faire sera seront serait seraient soit aussi très tout tous toute toutes si alors ainsi encore
        déjà même mêmes autre autres ici là lequel laquelle lesquels auquel duquel"""
    ),
    "de": _words(
        """der die das den dem des ein eine einen einem einer eines und oder aber denn sondern dass daß ob wenn als
        wie weil da doch noch auch nur schon sehr so zu zum zur im in ins am an auf aus bei beim mit nach von vom vor
        für über unter um durch gegen ohne bis seit während zwischen hinter neben er sie es wir ihr ich du man sich
        sein seine seinen seinem seiner seines ihre ihren ihrem ihrer ihres ist sind war waren wird werden wurde
        wurden worden hat haben hatte hatten habe hätte wäre sei nicht kein keine keinen keinem keiner dies diese
        dieser dieses diesen diesem jener welche welcher welches was wer wo hier dort dann nun mehr alle allen aller
        alles sowie laut"""
    ),
    "es": _words(
        """el la los las lo un una unos unas y e o u pero sino que quien quienes cual cuales cuyo cuya de del a al en
        con por para sin sobre entre hasta desde hacia durante tras ante bajo su sus mi mis tu tus
        nuestro nuestra nuestros nuestras él ella ellos ellas se le les nos me te es son era eran fue fueron ser sido
        siendo está están estar ha han había habían haber hay será serán sería no ni muy más menos
        también ya como cuando donde si este esta estos estas ese esa esos esas aquel aquella esto eso todo toda todos
        todas otro otra otros otras"""
    ),
    "it": _words(
        """il lo la i gli le l un uno una e ed o ma però che chi cui quale di del dello della dei degli delle d a
        al allo alla ai agli alle ad da dal dallo dalla dai dagli dalle in nel nello nella nei negli nelle con col su
        sul sullo sulla sui sugli sulle per tra fra senza verso durante suo sua suoi sue loro mio mia
        nostro nostra lui lei essi esse si ci vi ne mi ti è sono era erano fu furono essere
        ha hanno aveva avevano avere avuto non più molto anche già come quando dove se
        quello quella quelli quelle tutto tutta tutti tutte altro altra altri altre"""
    ),
    "pt": _words(
        """o a os as um uma uns umas e ou mas porém que quem qual quais cujo cuja de do da dos das em no na nos nas
        num numa ao aos à às por pelo pela pelos pelas para com sem sobre entre até desde durante após
        ante seu sua seus suas meu minha nosso nossa ele ela eles elas se lhe lhes me te é são era eram foi foram ser
        sido está estão estava estavam estar tem têm tinha tinham ter há havia haver não nem muito mais menos também
        já como quando onde este esta estes estas esse essa esses essas aquele aquela isto isso aquilo todo toda
        todos todas outro outra outros outras"""
    ),
    "nl": _words(
        """de het een en of maar want dat die dit deze wie wat welke waar wanneer als omdat dan toen van in op aan met
        voor door bij naar uit over onder tegen tussen sinds tijdens zonder na om tot hij zij ze wij we jullie ik je u
        men zich zijn haar hun mijn ons onze is was waren wordt worden werd werden geworden heeft hebben had hadden
        ben zal zullen zou zouden kan kunnen niet geen ook nog al zo er hier daar meer alle"""
    ),
    "pl": _words(
        """i w we z ze na do o od po za przez przy dla bez pod nad przed u oraz a ale lub albo czy że żeby aby by się
        nie to ten ta te tego tej tym tych który która które którego której których którym jest są był była było były
        będzie będą został została zostało zostali zostały jego jej ich go mu im on ona ono oni one je jak także też
        już tylko jeszcze bardzo co gdy kiedy gdzie jako tak według podczas wśród około ponad"""
    ),
    "sv": _words(
        """och i på av till för med om som att det den de en ett är var har hade inte från vid efter över mot utan hos
        mellan genom han hon vi ni jag du sig sin sitt sina hans hennes deras man kan ska skulle blev blir bli varit
        vara också även men eller så när där här då nu redan bara mycket enligt"""
    ),
    "ru": _words(
        """и в во на с со к ко по о об от до из у за над под при для без через между а но или что чтобы как так же ли
        бы не ни он она оно они его её ее их ему ей им них мы вы я ты себя свой своя своё свои своих этот эта это эти
        этого этой тот та те того той который которая которое которые которых был была было были быть есть будет
        будут является также уже ещё еще только очень все всё весь вся всех после перед около более"""
    ),
    "ar": _words(
        """في من على إلى الى عن مع بين حتى منذ خلال عند لدى بعد قبل أن إن أنه إنه ان انه لا لم لن ما هل قد كان كانت
        كانوا يكون تكون هو هي هم نحن هذا هذه ذلك تلك الذي التي الذين كل بعض غير أو ثم بل لكن وقد قال قالت وقال
        وقالت كما حيث أي أيضا ايضا وفي ومن وعلى وإلى وأن وهو وهي ولا وكان وكانت"""
    ),
}
"""Function words (articles, prepositions, conjunctions, pronouns, auxiliaries), from each language's grammar and
not from any corpus, of most languages whose credit lines are read (`shingling.attribution`). Words are weak by their
stem (`EngineConfig.stem_prefix` letters), so function words whose stem is also a content word's are left out:
"contre" (contrat), "comme" (commerce), "questo" (questura), "stato" (lo Stato), "según" (segundo). A text is taken to
be in a language when these make a good share of its words (`align._weak_in`): they are then `WEAK` in it, as
Urdu's are everywhere. Chosen per text because a word may be a function word in one language and a content word
in another ("car", "son", "plus", "war"): an English text's words stay as they are."""

NOT_LANGUAGE_EVIDENCE: frozenset[str] = frozenset(
    "de la las al del con com per non come war man want men plus car".split()
)
"""Function words of those languages that English text holds often enough ("de la", "Las Vegas", "per cent",
"war", "plus"): they do not count towards taking a text as written in the language (`align._languages`)."""

WEAK: frozenset[str] = URDU
"""Function words of languages that have no stopword list here, which the alignment does not count as evidence
that a passage was reused: two unrelated Urdu reports of one kind ("in X, N people were killed and many injured
in an explosion") share half their words through these alone. See `align._terms`."""

DEFAULT: frozenset[str] = ENGLISH
"""Stopwords used unless configured. Languages without a list are matched on all their words: on the Urdu
COUNTER corpus an Urdu function-word list lost more seeds than it removed noise (binary F1 0.76 -> 0.63)."""


class WordListError(ValueError):
    """A word list file that cannot be used; the message says why."""


def read_word_list(path: str | Path) -> frozenset[str]:
    """The words of a UTF-8 file, any number a line (`#` starts a comment): a deployment's function words for
    its language, to add to `WEAK` (`EngineConfig.weak_words`)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as exc:
        raise WordListError(f"cannot read the word list {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise WordListError(f"the word list {path} is not UTF-8 (bad byte at offset {exc.start})") from None
    words = frozenset(word for line in text.splitlines() for word in line.partition("#")[0].split())
    if not words:
        raise WordListError(f"the word list {path} holds no words (one or more a line, # starts a comment)")
    return words


def weak_words_with(path: str | Path) -> frozenset[str]:
    """`WEAK` and the words of the file at `path` (`read_word_list`): a deployment's `EngineConfig.weak_words`."""
    return WEAK | read_word_list(path)
