"""How easy a page is to read: the Flesch reading ease and the Flesch-Kincaid grade of the text in
its <main>, with syllables counted from the en_GB hyphenation dictionary (pyphen).

Headings, paragraphs, list items, labels, buttons and table cells each end a sentence, as a reader
takes them, so a short heading is not run into the paragraph after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pyphen

_DICT = pyphen.Pyphen(lang="en_GB")
BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "dt",
    "dd",
    "label",
    "legend",
    "button",
    "td",
    "th",
    "div",
    "caption",
    "summary",
    "option",
    "a",
}
SKIP = {"script", "style", "svg", "select", "textarea"}
WORD = re.compile(r"[A-Za-z][A-Za-z']*")


class _MainText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth_main = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.depth_main += 1
        if tag in SKIP:
            self.skip += 1
        if "govuk-visually-hidden" in (attrs.get("class") or ""):
            self.skip += 1
            self._hidden_tag = tag
        if tag in BLOCKS and self.depth_main:
            self.parts.append(" . ")

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth_main -= 1
        if tag in SKIP:
            self.skip -= 1
        if getattr(self, "_hidden_tag", None) == tag:
            self.skip -= 1
            self._hidden_tag = None
        if tag in BLOCKS and self.depth_main:
            self.parts.append(" . ")

    def handle_data(self, data):
        if self.depth_main and not self.skip:
            self.parts.append(data)


def main_text(html: str) -> str:
    parser = _MainText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def _vowel_groups(word: str) -> int:
    """Syllables by vowel groups, less a silent final e and the e of most -es and -ed."""
    w = word.lower().strip("'")
    groups = len(re.findall(r"[aeiouy]+", w))
    if groups > 1 and w.endswith("e") and not w.endswith(("le", "ee", "ye")):
        groups -= 1
    elif groups > 1 and w.endswith(("es", "ed")) and not w.endswith(("ted", "ded", "ses", "ces")):
        groups -= 1
    return max(1, groups)


def syllables(word: str) -> int:
    """The larger of the hyphenation dictionary's count and the vowel-group count: hyphenation
    alone misses breaks near a word's ends ("ev-ery", "hap-py"), so it undercounts."""
    return max(len(_DICT.positions(word.lower())) + 1, _vowel_groups(word))


@dataclass(frozen=True)
class Score:
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words

    @property
    def reading_ease(self) -> float:
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade: a US school grade; grade 4 is read at 9 to 10."""
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59


def score(text: str) -> Score:
    sentences = [s for s in re.split(r"[.!?:;]+", text) if WORD.search(s)]
    words = WORD.findall(text)
    return Score(
        words=len(words),
        sentences=max(1, len(sentences)),
        syllables=sum(syllables(w) for w in words),
    )
