"""Compile the engine's kernels before the first real text needs them.

The tokeniser, the signatures, the index and the alignment run numba kernels, compiled on first use and then
cached on disk. The first compile on a new install takes 20-40 s on two cores, and loading them from the cache
takes a second or two more per process: a service that met its first request cold made that request wait
(long enough to outlast a request timeout). `warm_up` runs the whole path of a check once, on two short texts
that share a rewritten paragraph, so every kernel a check uses is compiled or loaded before any request.
"""

from __future__ import annotations

from shingling.align import compare
from shingling.attribution import find_attributions
from shingling.config import EngineConfig
from shingling.discount import discount
from shingling.document import prepare
from shingling.index import PassageIndex
from shingling.screen import screened_out
from shingling.wires import WireRegistry

_STORED = (
    "GENEVA (Reuters) - Talks on the river treaty resumed in Geneva on Monday after a pause of three weeks, the "
    "mediators said, and both delegations agreed to meet again on Thursday to discuss the dams upstream.\n\n"
    "The ministers said the water sharing plan would be published once the technical teams had checked the "
    "flow figures for the dry season. Farmers downstream have waited years for a settlement.\n\n"
    "Reporting by Jane Doe; Editing by John Roe"
)
_CHECKED = (
    "Both delegations agreed on Monday to meet again on Thursday in Geneva, where talks on the river treaty "
    "resumed after a three-week pause, mediators said, to discuss the dams upstream.\n\n"
    "The water sharing plan would be published once the technical teams had checked the flow figures for the "
    "dry season, the ministers said. Our reporter visited the valley, where the harvest failed again.\n\n"
    "Additional reporting by Reuters"
)


def warm_up(config: EngineConfig | None = None, registry: WireRegistry | None = None) -> None:
    """Run a check's path once (prepare, sign, index, look up, screen, align, discount, find credits) on two short
    texts. The credit-line patterns are compiled for `registry` (the built-in one when None), those for texts with
    CJK letters too: a deployment's own agencies make other patterns, whose compile (about a second each) the
    first check would otherwise wait for."""
    stored, checked = prepare(_STORED, config), prepare(_CHECKED, config)
    index = PassageIndex(stored.config)
    index.insert("stored", stored)
    found = index.query_passages(checked.query_signatures)
    screened_out(checked, _STORED * 200, found["stored"].passages if "stored" in found else (0,))
    comparison = compare(checked, stored)
    discount(comparison, checked, stored, dict.fromkeys(range(8, 12), "boilerplate"), None)  # words cut inside
    find_attributions(_CHECKED, registry)
    find_attributions("据新华社报道。", registry)  # texts with CJK letters have patterns of their own
