"""Numbers as text, in the three ways SpinePrompt writes them.

- ``in_words``: in a sentence, as a clinician writes it (5, not 5.0; 2.5; six significant figures at most).
- ``exactly``: a value given back as it was entered (a form field, a summary line, an error's bounds): 5, not 5.0,
  otherwise every digit Python needs to give the same number back.
- ``rounded``: a derived figure to at most two decimal places, without trailing zeros (a height loss of 2.35 cm).
"""

from __future__ import annotations


def in_words(value: float) -> str:
    if type(value) is int:  # the usual case (JSON whole numbers), and the same text as below for it
        return str(value)
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def exactly(value: object) -> str:
    """Any value, so that a form can give back what it was given (text stays text)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rounded(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
