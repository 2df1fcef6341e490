"""The optional language-model coder: any OpenAI-compatible chat-completions endpoint, off by default.

``prompt`` builds the request from the codebook (definitions, include/exclude notes, examples) and asks
for JSON against a schema; ``client`` sends it (batches, timeout, retry with backoff; the key from an
environment variable, never stored or logged); ``answer`` validates the reply (an unknown code is an
error, not a coding; a span that is not in the text is dropped with a warning); ``cache`` keeps answers by
hash of (text, codebook version, model, prompt version); ``run`` ties them and stores the codings as coder
``llm:<model>``, origin ``llm``, review state ``unreviewed``.
"""
