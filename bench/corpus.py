"""A synthetic corpus for the benchmarks: articles made by recombining and perturbing the
seed articles' sentences, deterministic for a given `CorpusParams`.

Real corpora are not 215 sentences repeated: every "original" article here draws seed
sentences and rewrites a third of their content words (from the seeds' vocabulary and a
Zipf-distributed synthetic lexicon), most proper names (synthetic names) and most numbers,
so that entities, blocking keys and LSH bands have a realistic spread. Some originals come
with 1–3 rewrites (a family): the same sentences reworded by word swaps, a few dropped or
added, and sometimes a figure changed, so provenance, same-claim matching and figure
conflicts all have real work.

Article i is the same whichever N is asked for (each unit of articles has its own RNG), so
the 1,000-article corpus is the first tenth of the 10,000-article one."""

from __future__ import annotations

import hashlib
import json
import random
import re
from bisect import bisect
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from itertools import accumulate
from pathlib import Path

from app.config import PROJECT_ROOT
from app.extract.sentences import split_sentences
from app.ingest import read_document
from app.schemas import AnnotationCreate, SelectorIn, TargetIn
from app.vocab import VERDICTS

SEEDS = PROJECT_ROOT / "seeds"
GENERATOR_VERSION = 1  # bump when the output of this module changes
SET_TAG = "brief"  # the tag of every annotated thread: the export benchmark's set


def _words(text: str) -> list[str]:
    return text.split()


_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)*")
_PROTECTED = frozenset(
    _words(
        """
        a an the and or but if of to in on at by for from with as into over under about after
        before since during between against than then that this these those it its is are was
        were be been being has have had do does did not no nor so yet also only just more
        most less many much some any each every per all both few several such own same other
        another he she they we you i his her their our your them him us who whom whose which
        what when where why how according says said say saying estimates estimate estimated
        suggest suggests suggested reported reports report claimed claims told stated noted
        believes shows showed percent million billion thousand hundred dozen day days week
        weeks month months year years daily monthly annually average around about nearly
        almost roughly least up down january february march april may june july august
        september october november december monday tuesday wednesday thursday friday saturday
        sunday
        """
    )
)
_FIRST_NAMES = _words(
    """
    Anna Boris Chen Daria Elena Farid Gita Hans Irina Jonas Karin Leon Maria Nadia Omar Pavel
    Rosa Sergei Tomas Ulla Viktor Wanda Yusuf Zofia Arne Bianca Dmitri Eva Igor Lena Mikhail
    Olga Petra Ruslan Sofia Timur Vera
    """
)
_SYLLABLES = _words(
    """
    ka lo mi ra ven tor sha del ari nov ost bel gra mun tez fir dor lin var sek ul pra zem
    hal kor bri ton ves mar lev dun sor pel tri gan hov ryn ast eld
    """
)
_ANALYSTS = ("Ana", "Ben", "Chloe", "Dev", "Emil", "Farah", "Greta", "Hugo")
_TAGS = ("recruitment", "casualties", "sanctions", "negotiations", "mobilization",
         "sources", "translation", "follow-up", "needs-expert", "numbers")  # fmt: skip
_NOTES = (
    "The figure **{n}** is not in the {org} report this cites.",
    "Checked against [the original]({url}); the wording differs but the claim is the same.",
    "Attribution is vague: *{org}* is named, the estimate itself is not sourced.",
    "Same number as the {org} briefing of last month, so not an independent confirmation.",
    "Ask {person} for the underlying data before we quote this.",
    "Contradicts the {n} given elsewhere; see the conflicts page.\n\n- first source\n- second",
)


@dataclass(frozen=True)
class CorpusParams:
    seed: int = 20_241_105
    family_share: float = 0.3  # share of units that are a family of 2–4 articles
    min_words: int = 550
    max_words: int = 1_050
    word_swap: float = 0.85  # content words of an original replaced
    seed_words: float = 0.25  # replacements taken from the seeds' words (else the lexicon)
    name_swap: float = 0.95  # proper names of an original replaced
    splice: float = 1.0  # original sentences made of two seed sentences' halves
    rewrite_swap: float = 0.08  # content words of a rewrite swapped
    figure_change: float = 0.35  # rewrites that change one figure
    annotations: int = 10_000
    version: int = GENERATOR_VERSION

    def key(self) -> str:
        """Names the cached files: these parameters, the generator's version and the seeds."""
        h = hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode())
        for path in sorted(SEEDS.glob("*.txt")):
            h.update(path.read_bytes())
        return h.hexdigest()[:12]


@dataclass(frozen=True)
class Article:
    name: str  # file name
    text: str
    family: int  # unit number; articles of one family share it


def _zipf_cum(n: int, head: int = 50) -> list[float]:
    """Cumulative weights of a Zipf law with a flattened head: no invented word or name is
    in more than a fraction of a percent of sentences, as in real news."""
    return list(accumulate(1.0 / (r + head) for r in range(n)))


class Material:
    """What the seeds offer: sentences of paragraphs, headings, boilerplate lines, words."""

    def __init__(self, seed: int) -> None:
        self.sentences: list[str] = []
        self.headings: list[str] = []
        self.boilerplate: list[str] = []
        counts: dict[str, int] = {}
        for path in sorted(SEEDS.glob("*.txt")):
            draft = read_document(path.name, path.read_bytes())
            for b in draft.blocks:
                if b.kind == "paragraph":
                    self.sentences += [s.text for s in split_sentences(draft.text, b.start, b.end)]
                    for w in _TOKEN.findall(draft.block_text(b)):
                        if w.islower() and w not in _PROTECTED and len(w) > 3:
                            counts[w] = counts.get(w, 0) + 1
                elif b.kind in ("heading", "title"):
                    self.headings.append(draft.block_text(b))
                elif b.kind == "boilerplate" and len(draft.block_text(b)) < 80:
                    self.boilerplate.append(draft.block_text(b))
        self.words = sorted(counts, key=lambda w: (-counts[w], w))
        self.words_cum = list(accumulate(counts[w] for w in self.words))
        rng = random.Random(seed)
        self.lexicon = _pseudo_words(rng, 40_000, 2, 4)
        self.lexicon_cum = _zipf_cum(len(self.lexicon))
        self.names = [w.capitalize() for w in _pseudo_words(rng, 8_000, 2, 3)]
        self.names_cum = _zipf_cum(len(self.names))
        self.outlets = [_outlet(rng, w) for w in self.names[:300]]
        self.outlets_cum = _zipf_cum(len(self.outlets))


def _pseudo_words(rng: random.Random, n: int, low: int, high: int) -> list[str]:
    seen: dict[str, None] = {}
    while len(seen) < n:
        seen.setdefault("".join(rng.choices(_SYLLABLES, k=rng.randint(low, high))), None)
    return list(seen)


def _outlet(rng: random.Random, name: str) -> str:
    style = rng.randrange(3)
    return (f"The {name} Post", f"{name.upper()} NEWS", f"{name.lower()}.online")[style]


def _pick(rng: random.Random, items: Sequence[str], cum: Sequence[float]) -> str:
    return items[min(bisect(cum, rng.random() * cum[-1]), len(items) - 1)]


class Generator:
    def __init__(self, params: CorpusParams) -> None:
        self.p = params

    @cached_property
    def m(self) -> Material:
        return Material(self.p.seed)

    # --- words and numbers -------------------------------------------------------------------

    def _word(self, rng: random.Random) -> str:
        if rng.random() < self.p.seed_words:
            return _pick(rng, self.m.words, self.m.words_cum)
        return _pick(rng, self.m.lexicon, self.m.lexicon_cum)

    def _number(self, rng: random.Random, old: str) -> str:
        digits = old.replace(",", "").split(".")[0]
        value = int(digits) if digits.isdigit() else 0
        if 1900 <= value <= 2099 and "," not in old:
            return str(rng.randint(1995, 2025))
        if value < 10:
            return str(rng.randint(2, 9))
        new = rng.randint(10 ** (len(digits) - 1), 10 ** len(digits) - 1)
        new = round(new, -max(0, len(digits) - rng.choice((2, 3, 3))))  # news figures are round
        return f"{new:,}" if "," in old else str(new)

    def _seed_sentence(self, rng: random.Random) -> str:
        """A seed sentence, or the head of one joined to the tail of another."""
        first = rng.choice(self.m.sentences)
        if rng.random() >= self.p.splice:
            return first
        second = rng.choice(self.m.sentences)
        a, b = first.split(" "), second.split(" ")
        if len(a) < 6 or len(b) < 6:
            return first
        return " ".join(a[: rng.randint(3, len(a) - 2)] + b[rng.randint(2, len(b) - 3) :])

    def _perturb(self, rng: random.Random, sentence: str) -> str:
        """An original sentence from a seed sentence: new words, names and figures."""
        out, last, first = [], 0, True
        for m in _TOKEN.finditer(sentence):
            tok, new = m.group(), m.group()
            if tok[0].isdigit():
                new = self._number(rng, tok) if rng.random() < 0.9 else tok
            elif tok.lower() in _PROTECTED:
                pass
            elif tok.islower() and len(tok) > 3 and rng.random() < self.p.word_swap:
                new = self._word(rng)
            elif (
                tok[0].isupper()
                and not tok.isupper()
                and len(tok) > 2
                and not first
                and rng.random() < self.p.name_swap
            ):
                new = _pick(rng, self.m.names, self.m.names_cum)
            out += [sentence[last : m.start()], new]
            last, first = m.end(), False
        return "".join([*out, sentence[last:]])

    def _reword(self, rng: random.Random, sentence: str) -> str:
        """A rewrite's sentence: a few words swapped for others, or with their neighbour."""
        tokens = re.split(r"(\s+)", sentence)
        words = [i for i, t in enumerate(tokens) if t.isalpha() and t.islower()]
        for i in words:
            if rng.random() < self.p.rewrite_swap and tokens[i] not in _PROTECTED:
                tokens[i] = _pick(rng, self.m.words, self.m.words_cum)
        if len(words) > 3 and rng.random() < 0.3:
            a = rng.randrange(len(words) - 1)
            i, j = words[a], words[a + 1]
            tokens[i], tokens[j] = tokens[j], tokens[i]
        return "".join(tokens)

    def _change_figure(self, rng: random.Random, sentence: str) -> str:
        numbers = [m for m in _TOKEN.finditer(sentence) if m.group()[0].isdigit()]
        big = [m for m in numbers if int(m.group().replace(",", "").split(".")[0]) >= 10]
        if not big:
            return sentence
        m = rng.choice(big)
        value = int(m.group().replace(",", "").split(".")[0])
        if 1900 <= value <= 2099:
            return sentence
        new = round(value * rng.uniform(1.15, 1.6), -max(0, len(str(value)) - 2))
        text = f"{new:,}" if "," in m.group() else str(new)
        return sentence[: m.start()] + text + sentence[m.end() :]

    # --- articles ----------------------------------------------------------------------------

    def _original(self, rng: random.Random) -> tuple[str, list[list[str]], list[str]]:
        """Title, paragraphs (lists of sentences) and closing boilerplate of an original."""
        title = self._perturb(rng, rng.choice(self.m.headings))
        target = rng.randint(self.p.min_words, self.p.max_words)
        paragraphs: list[list[str]] = []
        words = 0
        while words < target:
            paragraph = [
                self._perturb(rng, self._seed_sentence(rng)) for _ in range(rng.randint(2, 5))
            ]
            words += sum(len(s.split()) for s in paragraph)
            paragraphs.append(paragraph)
        tail = rng.sample(self.m.boilerplate, k=rng.randint(0, 2))
        return title, paragraphs, tail

    def _rewrite(self, rng: random.Random, paragraphs: list[list[str]]) -> list[list[str]]:
        out = []
        for paragraph in paragraphs:
            kept = [self._reword(rng, s) for s in paragraph if rng.random() > 0.1]
            if rng.random() < 0.1:
                kept.append(self._perturb(rng, self._seed_sentence(rng)))
            if kept:
                out.append(kept)
        if rng.random() < self.p.figure_change:
            with_figures = [
                (i, j) for i, p in enumerate(out) for j, s in enumerate(p) if re.search(r"\d\d", s)
            ]
            if with_figures:
                i, j = rng.choice(with_figures)
                out[i][j] = self._change_figure(rng, out[i][j])
        return out

    def _render(
        self, rng: random.Random, title: str, paragraphs: list[list[str]], tail: list[str]
    ) -> str:
        lines = [title, _pick(rng, self.m.outlets, self.m.outlets_cum)]
        for n, paragraph in enumerate(paragraphs):
            if n and n % 5 == 0 and rng.random() < 0.4:
                lines.append(self._perturb(rng, rng.choice(self.m.headings)))
            lines.append(" ".join(paragraph))
        return "\n\n".join([*lines, *tail]) + "\n"

    def _unit_start(self, u: int) -> tuple[random.Random, int]:
        rng = random.Random(f"{self.p.seed}:{u}")
        size = rng.randint(2, 4) if rng.random() < self.p.family_share else 1
        return rng, size

    def unit(self, u: int) -> list[str]:
        """The texts of unit `u`: an original, then its rewrites if it is a family."""
        rng, size = self._unit_start(u)
        title, paragraphs, tail = self._original(rng)
        texts = [self._render(rng, title, paragraphs, tail)]
        for _ in range(size - 1):
            new_title = self._reword(rng, title) if rng.random() < 0.5 else title
            texts.append(self._render(rng, new_title, self._rewrite(rng, paragraphs), tail))
        return texts

    def articles(self, start: int, stop: int) -> list[Article]:
        """Articles start..stop-1 of the corpus."""
        out: list[Article] = []
        u = 0
        while len(out) < stop:
            out += [
                Article(f"bench-{len(out) + i:05d}.txt", t, u) for i, t in enumerate(self.unit(u))
            ]
            u += 1
        return out[start:stop]

    def probes(self, n: int) -> list[Article]:
        """Articles to add one at a time to a built corpus: half new originals, half rewrites
        of an article among the first few hundred (so every corpus size holds their origin)."""
        rng = random.Random(f"{self.p.seed}:probes")
        out = []
        for i in range(n):
            if i % 2:
                title, paragraphs, tail = self._original(self._unit_start(rng.randrange(200))[0])
                text = self._render(rng, title, self._rewrite(rng, paragraphs), tail)
            else:
                text = self._render(rng, *self._original(rng))
            out.append(Article(f"probe-{i:03d}.txt", text, -1))
        return out


def write_corpus(articles: list[Article], folder: Path) -> list[Path]:
    """Write the articles as .txt files (an existing identical file is left alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for a in articles:
        path = folder / a.name
        data = a.text.encode()
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


# --- annotations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimSpot:
    article_id: int
    claim_id: int


@dataclass(frozen=True)
class TextSpot:
    article_id: int
    text: str
    paragraphs: tuple[tuple[int, int], ...]


def annotation_plan(
    params: CorpusParams, claims: list[ClaimSpot], articles: list[TextSpot]
) -> list[tuple[str, AnnotationCreate, int | None]]:
    """(analyst, annotation, index of the annotation it replies to) for `params.annotations`
    annotations: 70 % verdicts and notes on claims, 20 % notes on a text selection, 10 %
    replies. Deterministic for the same inputs."""
    rng = random.Random(f"{params.seed}:annotations")
    verdicts = list(VERDICTS)
    plan: list[tuple[str, AnnotationCreate, int | None]] = []
    roots: list[int] = []
    for _ in range(params.annotations):
        analyst = rng.choice(_ANALYSTS)
        body = _note(rng) if rng.random() < 0.8 else ""
        tags = rng.sample(_TAGS, k=rng.randint(0, 2))
        # Every thread root carries the working set's tag: `?tag=brief` exports them all.
        root_tags = [SET_TAG, *tags]
        roll = rng.random()
        if roll < 0.1 and roots:
            reply = AnnotationCreate(body=body or "Agreed.", tags=tags)
            plan.append((analyst, reply, rng.choice(roots)))
            continue
        if roll < 0.8 and claims:
            spot = rng.choice(claims)
            create = AnnotationCreate(
                target=TargetIn(claim_id=spot.claim_id),
                body=body,
                verdict=rng.choice(verdicts),  # type: ignore[arg-type]
                tags=root_tags,
            )
        else:
            a = rng.choice(articles)
            start, end = rng.choice(a.paragraphs)
            s = rng.randrange(start, max(start + 1, end - 40))
            e = min(end, s + rng.randint(20, 120))
            exact = a.text[s:e]
            if not exact.strip():
                continue
            create = AnnotationCreate(
                article_id=a.article_id,
                target=TargetIn(selector=SelectorIn(exact=exact, start=s, end=e)),
                body=body or "Worth a second look.",
                tags=root_tags,
            )
        roots.append(len(plan))
        plan.append((analyst, create, None))
    return plan


def _note(rng: random.Random) -> str:
    return rng.choice(_NOTES).format(
        n=f"{rng.randint(2, 300) * 100:,}",
        org=rng.choice(("Ministry of Defence", "UN", "Kremlin", "Reuters", "ISW")),
        url=f"https://example.org/report/{rng.randint(1, 9999)}",
        person=f"{rng.choice(_FIRST_NAMES)} {rng.choice(('Holm', 'Berg', 'Lind', 'Dahl'))}",
    )
