"""bolyst.coding — the codebook, the spaCy coder, human coding decisions and agreement between coders.

The second of Bolyst's four stages (corpus ← coding ← stats ← site). Pure modules (codebook, nlp,
modality, coder, decisions, agreement's statistics) touch no database; ``writer``, ``build``, ``review``
and ``agreement.agreement`` do.
"""

from pathlib import Path

#: Folder of the shipped codebook (codebook.yaml) and human decisions (decisions/*.yaml).
CODING_DIR = Path(__file__).resolve().parent
