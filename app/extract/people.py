"""The people an article names, and who a "he" or a "she" stands for.

A person's name is read without the role and the titles written before it: "Foreign
ministry spokeswoman Maria Zakharova" → Maria Zakharova, "Army spokesman Lt. Col. Nadav
Shoshani" → Nadav Shoshani; the organisation inside a role is not the speaker.

While claims are read sentence by sentence, `People` keeps the people named so far, most
recent last, each with the gender the text gives them: an honorific (Mr, Ms, Mrs, Madam),
a gendered noun beside the name ("spokeswoman Maria Zakharova", "Mary Jones, a mother of
three"), the speaker's own pronoun ("Novak said her lawyers"), or an earlier "she"/"he"
that stood for them. A later mention by surname alone is the same person. A pronoun
stands for the nearest person when the text gives no gender for them, else for the most
recent person of its gender, else for the most recent person with no gender given, and
with no such person for nobody. Pure rules over the text; the choices are
recorded in docs/decisions/0032-people-pronouns-and-titles.md.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from app.words import wordset as _wordset

Gender = Literal["female", "male"]

_FEMALE_TITLES = _wordset("Ms Ms. Mrs Mrs. Miss Madam Madame Mme Dame Lady Queen Princess Duchess")
_MALE_TITLES = _wordset("Mr Mr. Sir Lord King Prince Duke")
TITLES = _wordset(
    """General Gen. President Prime Minister Professor Prof. Dr. Colonel Col. Lieutenant Lt.
    Admiral Adm. Sergeant Sgt Senator Sen. Ambassador Chancellor Secretary Spokesman
    Spokeswoman Spokesperson Commander Marshal Major Maj. Captain Capt. Chief Director Deputy
    Vice Governor Mayor Pope Judge Defence Defense Foreign Analyst Researcher Dr Gen Prof Col
    Lt Adm Sen Maj Capt CEO Chairman Chairwoman Chair Executive Rep Representative
    Commissioner Envoy Premier Rabbi Justice Secretary-General Director-General Attorney-General"""
) | (_FEMALE_TITLES | _MALE_TITLES)
_FEMALE_NOUNS = _wordset(
    """woman spokeswoman chairwoman congresswoman businesswoman councilwoman policewoman
    anchorwoman sportswoman stateswoman mother daughter wife sister grandmother widow actress
    girl aunt niece granddaughter mum mom queen princess duchess"""
)
_MALE_NOUNS = _wordset(
    """man spokesman chairman congressman businessman councilman policeman anchorman sportsman
    statesman father son husband brother grandfather widower boy uncle nephew grandson dad
    king prince duke"""
)
# Roles written before a name or in an appositive after it: "EU foreign policy chief Kaja
# Kallas", "John Smith, the city's mayor".
_ROLES = _wordset(
    """spokesperson minister chief head director secretary president chair leader commander
    official officer envoy ambassador analyst economist strategist researcher scientist
    professor lawyer attorney prosecutor judge mayor governor senator lawmaker legislator
    adviser advisor aide correspondent editor executive founder ceo manager negotiator
    representative diplomat counterpart activist doctor epidemiologist historian author
    candidate premier general colonel captain deputy commissioner statistician
    commentator columnist reporter journalist physician surgeon nurse teacher engineer
    secretary-general director-general"""
) | (_FEMALE_NOUNS | _MALE_NOUNS)
ORG_WORDS = _wordset(
    """Ministry Defence Defense Council Bank Institute Agency News Times Post Journal Office
    Department Government Kremlin Center Centre Commission Committee Service Forces Army
    University College Reuters Press Network Group Foundation Guardian Telegraph Economist
    Parliament Duma Staff Command Corporation Company Media Radio Television Assembly Court
    Bureau Authority Party Union Association Federation Organization Organisation Board
    Motors Electric Mills Dynamics Airlines"""
)
# Words that open a sentence in capitals without being part of a name.
_OPENERS = _wordset(
    """the a an and but or so also then yet meanwhile however still later earlier in on at
    after before when while as if since for from with by to of this that these those his her
    their its our my your"""
)
# How an appositive that describes a person opens: "John Smith, the mayor,", "Mary Jones,
# a spokeswoman", "Ivan Petrov, former interior minister" (not "Ukraine, whose president").
_APPOSITIVE_OPENERS = _wordset(
    "a an the his her their its former acting deputy senior then interim new outgoing"
)
_PARTICLES = _wordset("de da di del van von der den du le la al el bin ibn")
_WORD = re.compile(r"[^\W_](?:[\w’'-]|\.(?=\w))*")
_POSSESSIVE = re.compile(r"['’]s$")
_APPOSITIVE_REACH = 7  # "Mary Jones, the city's newly appointed finance chief"
_AGE = re.compile(r"\s*,\s*\d{1,3}\s*,")
# "Novak said her lawyers …", "Petrov told reporters he …": the speaker's own pronoun.
_OWN_PRONOUN = re.compile(
    r"\s+(?:\w+ly\s+)?(?:said|says|told\s+\w+|added|adds|noted|stressed|insisted|wrote)"
    r"\s+(?:that\s+)?(?P<p>she|her|he|his)\b"
)
_KEPT = 12  # people remembered: a pronoun reaches back a few names, never the whole article


def _capitalised(word: str) -> bool:
    return word[0].isupper() or word.lower() in _PARTICLES or word.startswith(("al-", "el-"))


def strip_titles(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """ "Defence Minister Pål Jonson" → Pål Jonson; "the Defence Ministry" stays whole."""
    last_title = max((i for i, (s, e) in enumerate(run) if text[s:e] in TITLES), default=-1)
    rest = run[last_title + 1 :]
    return rest if last_title >= 0 and _names_a_person(text, rest) else run


def _names_a_person(text: str, words: Sequence[tuple[int, int]]) -> bool:
    """Whether the words after a title or a role can be a person's name: "Maria Zakharova",
    not "Motors" of "General Motors" or "Ministry" of "Defence Ministry"."""
    return bool(words) and all(
        _capitalised(text[s:e]) and text[s:e] not in ORG_WORDS for s, e in words
    )


def is_role(word: str) -> bool:
    return word.lower() in _ROLES


def name_in(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The person a phrase names, without the role and titles before the name ("Foreign
    ministry spokeswoman Maria Zakharova" → Maria Zakharova); a phrase that names no one
    after its role, or a description, stays whole."""
    role = max((i for i, (s, e) in enumerate(words[:-1]) if is_role(text[s:e])), default=-1)
    after = words[role + 1 :]
    if role >= 0 and text[after[0][0]].isupper() and _names_a_person(text, after):
        words = after
    if words and all(_capitalised(text[s:e]) for s, e in words):
        return strip_titles(text, words)
    return words


@dataclass
class Person:
    name: str
    start: int
    end: int
    gender: Gender | None = None


@dataclass(frozen=True)
class Mention:
    key: str  # the surname, casefolded: "Zakharova" and "Maria Zakharova" are one person
    name: str
    start: int
    end: int
    gender: Gender | None


class People:
    """The people named so far, most recent last; kept to the last few, so each sentence
    costs the same however long the article."""

    def __init__(self) -> None:
        self._known: OrderedDict[str, Person] = OrderedDict()

    def see(self, mention: Mention) -> None:
        person = self._known.pop(mention.key, None)
        if person is None or len(mention.name) > len(person.name):
            gender = person.gender if person else None
            person = Person(mention.name, mention.start, mention.end, gender)
        person.gender = mention.gender or person.gender
        self._known[mention.key] = person
        if len(self._known) > _KEPT:
            self._known.popitem(last=False)

    def named(self, name: str, start: int, end: int, gender: Gender | None = None) -> None:
        """A person named as a source: the most recent now."""
        self.see(Mention(_key(name), name, start, end, gender))

    def knows(self, key: str) -> bool:
        return key in self._known

    def stand_in(self, pronoun: str) -> Person | None:
        """Who "she"/"her" or "he"/"him" stands for, or None when nobody fits; the person
        found is known to be of that gender from now on."""
        gender: Gender = "female" if pronoun.lower() in ("she", "her") else "male"
        people = list(reversed(self._known.values()))
        if not people:
            return None
        if people[0].gender is None:
            found: Person | None = people[0]  # the nearest gives no cue: nothing speaks against
        else:
            found = next((p for p in people if p.gender == gender), None) or next(
                (p for p in people if p.gender is None), None
            )
        if found is not None:
            found.gender = gender
        return found


def own_pronoun(text: str, end: int, limit: int) -> Gender | None:
    """The gender of the pronoun a speaker named before `end` uses of themself right after
    the reporting verb: "Novak said her lawyers had filed 57 complaints" → female."""
    m = _OWN_PRONOUN.match(text, end, limit)
    if m is None:
        return None
    return "female" if m["p"] in ("she", "her") else "male"


def _key(name: str) -> str:
    words = name.split()
    return _POSSESSIVE.sub("", words[-1]).casefold() if words else ""


def mentions(text: str, start: int, masked: str, people: People) -> list[Mention]:
    """The people a sentence names (its quotations blanked in `masked`, which starts at
    `start` in `text`), in order: a name after a title or a role, a name with a role or an
    age in an appositive, and a known person's surname."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(masked)]
    found: list[Mention] = []
    i = 0
    while i < len(words):
        j = i
        while (
            j < len(words)
            and _capitalised(masked[words[j][0] : words[j][1]])
            and (j == i or _joins(masked, words[j - 1], words[j][0]))
        ):
            j += 1
        if j == i:
            i += 1
            continue
        mention = _mention(masked, words, i, j, people)
        if mention is not None:
            key, (s, e), gender = mention
            found.append(Mention(key, text[start + s : start + e], start + s, start + e, gender))
        i = j
    return found


def _joins(masked: str, word: tuple[int, int], nxt: int) -> bool:
    """Only spaces between two words of a name, or the full stop of "Lt." or "J."."""
    gap = masked[word[1] : nxt]
    if gap.isspace():
        return True
    before = masked[word[0] : word[1]]
    return gap.strip() == "." and gap[0] == "." and (before in TITLES or len(before) == 1)


def _mention(
    masked: str, words: Sequence[tuple[int, int]], i: int, j: int, people: People
) -> tuple[str, tuple[int, int], Gender | None] | None:
    """The person the capitalised run words[i:j] names, if the text says it is one."""
    while i < j and masked[words[i][0] : words[i][1]].lower() in _OPENERS:
        i += 1
    run = list(words[i:j])
    last_s, last_e = run[-1] if run else (0, 0)
    possessive = _POSSESSIVE.search(masked, last_s, last_e)
    if possessive:
        run[-1] = (last_s, possessive.start())  # "Bannon's defence": Bannon
    if not run or not masked[run[0][0]].isupper():
        return None
    titles = [masked[s:e] for s, e in run]
    name = strip_titles(masked, run)
    titled = len(name) < len(run)
    gender = _gender(titles[: len(run) - len(name)])
    before = masked[words[i - 1][0] : words[i - 1][1]].lower() if i > 0 else ""
    if before in _ROLES and masked[words[i - 1][1] : run[0][0]].isspace():
        gender = gender or _gender_of_noun(before)
        titled = True
    described, noun_gender = _appositive(masked, words, j, run[-1][1])
    gender = gender or noun_gender
    words_of_name = [masked[s:e] for s, e in name]
    key = words_of_name[-1].casefold()
    if any(w in ORG_WORDS or (w.isupper() and len(w) > 1) for w in words_of_name):
        return None
    known = people.knows(key)
    if not (titled or described or known):
        return None
    if len(name) > 4:
        return None  # a heading or a list of names, not one person
    return key, (name[0][0], name[-1][1]), gender


def _gender(titles: Sequence[str]) -> Gender | None:
    for t in titles:
        if t in _FEMALE_TITLES:
            return "female"
        if t in _MALE_TITLES:
            return "male"
    return None


def _gender_of_noun(word: str) -> Gender | None:
    if word in _FEMALE_NOUNS:
        return "female"
    if word in _MALE_NOUNS:
        return "male"
    return None


def _appositive(
    masked: str, words: Sequence[tuple[int, int]], j: int, name_end: int
) -> tuple[bool, Gender | None]:
    """Whether an appositive says the name is a person's, and the gender it gives: "Mary
    Jones, a spokeswoman for the council," → female; "John Smith, the mayor," and "Jan
    Berg, 54," → a person, no gender."""
    if _AGE.match(masked, name_end):
        return True, None
    comma = masked.find(",", name_end, name_end + 3)
    if comma < 0 or masked[name_end:comma].strip():
        return False, None
    described = words[j : j + _APPOSITIVE_REACH]
    if not described:
        return False, None
    first = masked[described[0][0] : described[0][1]]
    if not (first.lower() in _APPOSITIVE_OPENERS or is_role(first) or _POSSESSIVE.search(first)):
        return False, None
    for s, e in described:
        if any(c in ",;" for c in masked[comma + 1 : s]):
            break
        word = masked[s:e].lower()
        if word in _ROLES:
            return True, _gender_of_noun(word)
    return False, None
