"""REFI-QDA exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder: ``.qdpx`` projects and ``.qdc`` codebooks.

``refi`` is the model of a QDA project and its XML (validated against ``refi-qda/*.xsd``); ``export`` writes
the corpus, codebook and codings as one; ``read`` reads one back, and ``importer`` adds its documents
(``corpus``, ``spans``, ``files``), codes (``codebook``) and codings (as human decisions) to a project folder.
"""
