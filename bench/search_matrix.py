"""The searches the benchmarks send: a generated matrix of /search/ query strings.

Built from the database's own vocabulary (the search form's category and city choices,
the most and least common words of a bounded sample of listing titles), so it asks what
visitors of this catalog would ask: one and two words, typos, rare words, every filter
alone and together, every sort, deep pages. `zipf_sequence` turns it into a request
stream with a skewed popularity: a few searches are asked again and again, most once.
"""

import random
from collections.abc import Iterator
from itertools import accumulate

from django.db import connection

from catalog.forms import SearchForm
from catalog.selectors import MAX_PAGE, Sort

# Titles read for the vocabulary: enough to find its common and rare words, bounded so
# building the matrix stays quick at a million listings (the primary key index serves it).
TITLE_SAMPLE = 20_000
COMMON_WORDS = 40
RARE_WORDS = 15
DEEP_PAGE = min(20, MAX_PAGE)
MIN_PRICES = ["0", "20", "50", "100", "250"]
MAX_PRICES = ["50", "100", "200", "500", "1000"]
SORTS = [value for value, _label in Sort.CHOICES]
FILTERS = [
    "q",
    "category",
    "city",
    "min_price",
    "max_price",
    "min_rating",
    "pricing_type",
    "available",
]

_TITLE_WORDS_SQL = f"""
    SELECT word, count(*) AS uses
    FROM (
        SELECT regexp_split_to_table(lower(title), '[^[:alpha:]]+') AS word
        FROM (
            SELECT title FROM catalog_service WHERE is_listed ORDER BY id LIMIT {TITLE_SAMPLE}
        ) AS sample
    ) AS words
    WHERE length(word) >= 3
    GROUP BY word
    ORDER BY uses DESC, word
"""


def title_words() -> list[str]:
    """Words of the sampled listing titles, the most common first."""
    with connection.cursor() as cursor:
        cursor.execute(_TITLE_WORDS_SQL)
        return [word for word, _uses in cursor.fetchall()]


def typo(word: str, rng: random.Random) -> str:
    """The word with two neighbouring letters swapped or one letter dropped (never the
    first, as people rarely get that wrong), or the word itself when it is too short."""
    if len(word) < 5:
        return word
    at = rng.randrange(1, len(word) - 1)
    if rng.random() < 0.5 and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word[:at] + word[at + 1 :]


def _choices(field) -> list[str]:
    return [value for value, _label in field.choices if value]


class _Vocabulary:
    def __init__(self, rng: random.Random):
        form = SearchForm()
        self.categories = _choices(form.fields["category"])
        self.cities = _choices(form.fields["city"])
        self.ratings = _choices(form.fields["min_rating"])
        self.pricing_types = _choices(form.fields["pricing_type"])
        # "This week" and each of the next 14 days (their dates move with the day it runs).
        self.available = _choices(form.fields["available"])
        words = title_words() or ["service"]
        self.common = words[:COMMON_WORDS]
        self.rare = [w for w in reversed(words[COMMON_WORDS:])][:RARE_WORDS]
        self.typos = sorted({typo(w, rng) for w in self.common} - set(words))
        self.pairs = [f"{a} {b}" for i, a in enumerate(self.common) for b in self.common[i + 1 :]]
        rng.shuffle(self.pairs)
        self.pairs = self.pairs[:200]

    def text(self, rng: random.Random) -> str:
        pools = [self.common, self.common, self.pairs, self.typos, self.rare]
        pool = rng.choice([p for p in pools if p] or [self.common])
        return rng.choice(pool)

    def value(self, name: str, rng: random.Random) -> str | None:
        pool = {
            "q": None,
            "category": self.categories,
            "city": self.cities,
            "min_price": MIN_PRICES,
            "max_price": MAX_PRICES,
            "min_rating": self.ratings,
            "pricing_type": self.pricing_types,
            "available": self.available,
        }[name]
        if name == "q":
            return self.text(rng)
        return rng.choice(pool) if pool else None


def _valid_prices(params: dict) -> dict:
    low, high = params.get("min_price"), params.get("max_price")
    if low is not None and high is not None and float(low) > float(high):
        params["min_price"], params["max_price"] = high, low
    return params


def _essentials(v: _Vocabulary, rng: random.Random) -> Iterator[dict]:
    """The searches every matrix holds, roughly the most asked first (their order is their
    popularity rank in `zipf_sequence`)."""
    yield {}
    for word in v.common[:10]:
        yield {"q": word}
    for slug in v.categories:
        yield {"category": slug}
    for slug in v.cities:
        yield {"city": slug}
    for word in v.common[10:]:
        yield {"q": word}
    for sort in SORTS:
        yield {"sort": sort}
        yield {"q": v.common[0], "sort": sort}
    for price in MIN_PRICES:
        yield {"min_price": price}
    for price in MAX_PRICES:
        yield {"max_price": price}
    for rating in v.ratings:
        yield {"min_rating": rating}
    for pricing in v.pricing_types:
        yield {"pricing_type": pricing}
    for day in v.available:
        yield {"available": day}
        yield {"q": v.common[0], "available": day}
    for text in v.pairs[:20]:
        yield {"q": text}
    for text in v.typos:
        yield {"q": text}
    for text in v.rare:
        yield {"q": text}
    for page in (2, 3, 5, 10, 15, DEEP_PAGE):
        yield {"q": v.common[0], "page": str(page)}
        yield {"page": str(page)}
    yield {"q": v.common[0], "page": str(MAX_PAGE)}
    # Every filter together, once per sort.
    for sort in SORTS:
        every = {name: v.value(name, rng) for name in FILTERS}
        yield _valid_prices({**every, "sort": sort})


def _random_search(v: _Vocabulary, rng: random.Random) -> dict:
    """One to all filters, a sort now and then, a later page now and then."""
    names = rng.sample(FILTERS, rng.choice([1, 1, 2, 2, 2, 3, 3, 4, 5, len(FILTERS)]))
    params = {name: v.value(name, rng) for name in names}
    if rng.random() < 0.4:
        params["sort"] = rng.choice(SORTS)
    if rng.random() < 0.3:
        params["page"] = str(rng.randint(2, DEEP_PAGE))
    return _valid_prices(params)


def key(params: dict) -> tuple:
    return tuple(sorted(params.items()))


def search_matrix(*, seed: int, size: int = 1000) -> list[dict]:
    """`size` distinct /search/ query strings (dicts of str), the same for a seed on the same
    data; every one is a valid SearchForm."""
    rng = random.Random(seed)
    vocabulary = _Vocabulary(rng)
    matrix, seen = [], set()

    def add(params):
        params = {name: value for name, value in params.items() if value is not None}
        if key(params) not in seen:
            seen.add(key(params))
            matrix.append(params)

    for params in _essentials(vocabulary, rng):
        add(params)
    attempts = 0
    while len(matrix) < size:
        attempts += 1
        if attempts > size * 100:
            raise RuntimeError(f"only {len(matrix)} distinct searches from this vocabulary")
        add(_random_search(vocabulary, rng))
    return matrix[:size]


def zipf_sequence(matrix: list[dict], n: int, *, seed: int, s: float = 1.1, head: float = 0.4):
    """n requests drawn from the matrix as visitors would send them: a share `head` of them
    follow a Zipf law over the matrix's order (weight 1/rank^s: the first searches are asked
    again and again), the others are the long tail of searches asked once (the matrix's
    last combinations, in turn; when they run out, Zipf draws again). The distinct share is
    at most len(matrix)/n, so draw from a matrix at least as large as n."""
    rng = random.Random(seed)
    cumulative = list(accumulate(1 / rank**s for rank in range(1, len(matrix) + 1)))
    tail = iter(reversed(matrix))
    sequence = []
    for _ in range(n):
        params = next(tail, None) if rng.random() >= head else None
        if params is None:
            params = rng.choices(matrix, cum_weights=cumulative)[0]
        sequence.append(params)
    return sequence
