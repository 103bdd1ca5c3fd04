"""shingling: find reused passages between texts, with exact character spans in both.

    >>> from shingling import prepare, compare
    >>> a = prepare("The minister said the talks would resume on Monday in Geneva after a pause.")
    >>> b = prepare("Officials confirmed it. The minister said the talks would resume on Monday in Geneva.")
    >>> c = compare(a, b)
    >>> c.kind, [p.b.slice(b.text) for p in c.passages]
    ('near_duplicate', ['The minister said the talks would resume on Monday in Geneva'])
"""

from shingling.align import compare
from shingling.comparison import Comparison, Kind, PassagePair, Span
from shingling.config import EngineConfig
from shingling.corpus import Corpus
from shingling.document import Document, prepare
from shingling.errors import EmptyDocumentError, ParameterMismatchError, ShinglingError
from shingling.index import PassageIndex
from shingling.normalise import Tokens, tokenize

__all__ = [
    "Comparison",
    "Corpus",
    "Document",
    "EmptyDocumentError",
    "EngineConfig",
    "Kind",
    "ParameterMismatchError",
    "PassageIndex",
    "PassagePair",
    "ShinglingError",
    "Span",
    "Tokens",
    "compare",
    "prepare",
    "tokenize",
]
