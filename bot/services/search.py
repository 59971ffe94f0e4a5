"""Free-text questions → the best matching topics, by keywords in both languages.

No external service: the query and each topic's keywords and title are
normalised (lower case, punctuation to spaces) and scored. A whole keyword in
the query scores most; a shared word stem (≥ 5 letters, e.g. "spasmen" and
"spasme") scores a little, so Dutch and English plurals still match; every word of
the query that is also in a topic's title adds a little more, so the topic whose
title says it best comes first ("spasmen 's nachts" → "Spasmen in de nacht").
One hit far ahead of the rest is a clear answer: the bot opens it at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.content import LANGUAGES, ROOT_TOPIC, Content, Topic

MAX_RESULTS = 5
WHOLE_KEYWORD = 3
SHARED_STEM = 1
TITLE_WORD = 1
STEM_LENGTH = 5
CLEAR_LEAD = 2  # a hit scoring at least twice the next one is the answer
SMALL_TALK_WORDS = 4  # "hoi, hoe gaat het" is small talk; a longer message is a question
SmallTalk = Literal["greeting", "thanks"]
SMALL_TALK_PHRASE_KEYS: dict[SmallTalk, str] = {
    "thanks": "small_talk_thanks",
    "greeting": "small_talk_greetings",
}
NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    return " ".join(NON_WORD.sub(" ", text.lower()).replace("_", " ").split())


@dataclass(frozen=True)
class Found:
    """The topics for a question, best first, and whether the first is a clear answer."""

    topics: list[Topic]
    clear: bool = False


def search_topics(content: Content, query: str) -> Found:
    """Topics for `query`, best first (none when nothing matches)."""
    padded = f" {normalise(query)} "
    words = set(padded.split())
    scored: list[tuple[int, int, Topic]] = []
    for order, topic in enumerate(content.topics.values()):
        if topic.id == ROOT_TOPIC:
            continue
        score = _keyword_score(_terms(topic), padded, words)
        if score:
            scored.append((-score - _title_score(topic, words), order, topic))
    scored.sort(key=lambda s: (s[0], s[1]))
    scores = [-score for score, *_ in scored]
    clear = bool(scores) and (len(scores) == 1 or scores[0] >= CLEAR_LEAD * scores[1])
    return Found([topic for *_, topic in scored][:MAX_RESULTS], clear)


def _terms(topic: Topic) -> set[str]:
    terms = {normalise(k) for lang in LANGUAGES for k in topic.keywords.get(lang, ())}
    terms |= {normalise(topic.title[lang]) for lang in LANGUAGES if lang in topic.title}
    return {t for t in terms if t}


def _keyword_score(terms: set[str], padded_query: str, words: set[str]) -> int:
    """Each phrase keyword found whole, plus each query word's best match among the single
    word keywords: one word counts once, however many spellings of it a topic lists."""
    phrases = sum(WHOLE_KEYWORD for t in terms if " " in t and f" {t} " in padded_query)
    single = [t for t in terms if " " not in t]
    return phrases + sum(max((_word_score(t, w) for t in single), default=0) for w in words)


def _word_score(keyword: str, word: str) -> int:
    if keyword == word:
        return WHOLE_KEYWORD
    long_enough = len(keyword) >= STEM_LENGTH and len(word) >= STEM_LENGTH
    return SHARED_STEM if long_enough and keyword[:STEM_LENGTH] == word[:STEM_LENGTH] else 0


def _title_score(topic: Topic, words: set[str]) -> int:
    """How many of the query's words (by stem) the topic's title uses, in either language."""
    stems = {w[:STEM_LENGTH] for lang in topic.title for w in normalise(topic.title[lang]).split()}
    long_words = [w for w in words if len(w) >= STEM_LENGTH]
    return TITLE_WORD * sum(1 for w in long_words if w[:STEM_LENGTH] in stems)


def small_talk(content: Content, text: str) -> SmallTalk | None:
    """A greeting or a thank-you (in either language), when that is all the message is."""
    words = normalise(text).split()
    if not words or len(words) > SMALL_TALK_WORDS:
        return None
    said = " ".join(words)
    kinds: dict[SmallTalk, str] = {
        "thanks": "small_talk_thanks",
        "greeting": "small_talk_greetings",
    }
    for kind, key in kinds.items():
        phrases = {normalise(p) for lang in LANGUAGES for p in content.text(key, lang).split(",")}
        if any(said == p or said.startswith(f"{p} ") for p in phrases if p):
            return kind
    return None
