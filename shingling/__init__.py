"""shingling: find reused passages between texts, with exact character spans in both.

    >>> from shingling import prepare, compare
    >>> a = prepare("The minister said the talks would resume on Monday in Geneva after a pause.")
    >>> b = prepare("Officials confirmed it. The minister said the talks would resume on Monday in Geneva.")
    >>> c = compare(a, b)
    >>> c.kind, [p.b.slice(b.text) for p in c.passages]
    ('near_duplicate', ['The minister said the talks would resume on Monday in Geneva'])
"""

from shingling.align import compare
from shingling.attribution import Attribution, AttributionKind, credited_agencies, find_attributions
from shingling.boilerplate import BoilerplateModel
from shingling.comparison import Comparison, IgnoredPassage, Kind, PassagePair, Span
from shingling.config import EngineConfig
from shingling.corpus import Corpus
from shingling.derivation import Derivation, DerivationRule, bigram_coverage, measure
from shingling.discount import discount
from shingling.document import Document, prepare
from shingling.errors import EmptyDocumentError, ParameterMismatchError, ShinglingError
from shingling.index import Candidate, PassageIndex
from shingling.normalise import Tokens, tokenize
from shingling.screen import screened_out
from shingling.syndication import ArticleInfo, Syndication, describe
from shingling.wires import WireAgency, WireRegistry

__all__ = [
    "ArticleInfo",
    "Attribution",
    "AttributionKind",
    "BoilerplateModel",
    "Candidate",
    "Comparison",
    "Corpus",
    "Derivation",
    "DerivationRule",
    "Document",
    "EmptyDocumentError",
    "EngineConfig",
    "IgnoredPassage",
    "Kind",
    "ParameterMismatchError",
    "PassageIndex",
    "PassagePair",
    "ShinglingError",
    "Span",
    "Syndication",
    "Tokens",
    "WireAgency",
    "WireRegistry",
    "bigram_coverage",
    "compare",
    "credited_agencies",
    "describe",
    "discount",
    "find_attributions",
    "measure",
    "prepare",
    "screened_out",
    "tokenize",
]
