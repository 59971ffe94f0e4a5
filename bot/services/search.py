"""Free-text questions → the best matching topics, by keywords in both languages.

No external service: the query and each topic's keywords and title are
normalised (lower case, punctuation to spaces) and scored. A whole keyword in
the query scores most; a shared word stem (≥ 5 letters, e.g. "spasmen" and
"spasme") scores a little, so Dutch and English plurals still match.
"""

from __future__ import annotations

import re

from bot.content import LANGUAGES, ROOT_TOPIC, Content, Topic

MAX_RESULTS = 5
WHOLE_KEYWORD = 3
SHARED_STEM = 1
STEM_LENGTH = 5
NON_WORD = re.compile(r"[^\w]+")


def normalise(text: str) -> str:
    return " ".join(NON_WORD.sub(" ", text.lower()).replace("_", " ").split())


def search_topics(content: Content, query: str) -> list[Topic]:
    """Topics for `query`, best first; an empty list when nothing matches."""
    padded = f" {normalise(query)} "
    words = [w for w in padded.split() if len(w) >= STEM_LENGTH]
    scored: list[tuple[int, int, Topic]] = []
    for order, topic in enumerate(content.topics.values()):
        if topic.id == ROOT_TOPIC:
            continue
        score = sum(_keyword_score(k, padded, words) for k in _terms(topic))
        if score:
            scored.append((-score, order, topic))
    return [topic for *_, topic in sorted(scored, key=lambda s: (s[0], s[1]))][:MAX_RESULTS]


def _terms(topic: Topic) -> set[str]:
    terms = {normalise(k) for lang in LANGUAGES for k in topic.keywords.get(lang, ())}
    terms |= {normalise(topic.title[lang]) for lang in LANGUAGES if lang in topic.title}
    return {t for t in terms if t}


def _keyword_score(keyword: str, padded_query: str, words: list[str]) -> int:
    if f" {keyword} " in padded_query:
        return WHOLE_KEYWORD
    if len(keyword) >= STEM_LENGTH and " " not in keyword:
        stem = keyword[:STEM_LENGTH]
        if any(word[:STEM_LENGTH] == stem for word in words):
            return SHARED_STEM
    return 0
