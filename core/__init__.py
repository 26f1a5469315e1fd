"""SpinePrompt's pure core: the code that never imports Django (ADR 0002, ADR 0009).

- ``rules``: the 14 recommendations as cited, versioned rules, and the one input contract.
- ``records``: a coded patient record, and how it becomes the contract's input.
- ``fhir``: FHIR R4 resources (CDS Hooks prefetch, bundles, bulk NDJSON) read into records.
- ``casefinding``: practice extracts read, evaluated and sorted into gap groups, in bounded memory.
- ``boundary``: the limits every untrusted input is held to; ``spill``: grouping by key on disk.

Django lives in ``apps/``, which calls in here and is never called from here; each package's purity test proves
that importing it loads no Django module.
"""
