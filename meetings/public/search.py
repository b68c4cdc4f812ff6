"""Full-text search over published paragraphs.

PostgreSQL: the 'swedish' configuration (stemming: "beslutet" finds "beslut"),
titles weighted above text, ranked, websearch syntax ("tjänsteköp -Boden",
"\\"särskilt lönetillägg\\""), highlighted snippets. SQLite: every word must occur,
newest first, a plain snippet. Any query string gives a page, never an error.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import F, Func, Lookup, Q, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from meetings.documents import public_version
from meetings.models import Meeting, PublicProtocol, SearchEntry

# Unlikely characters mark the hits inside the headline, so that the text can be
# escaped first and the marks turned into <mark> after.
START, STOP = "\u2063\u2064", "\u2064\u2063"
MAX_QUERY = 200
# A search ranks at most this many matches, the newest: a word found in half the
# archive must not make PostgreSQL rank half the archive (bench/: a common word's
# search went from 380 ms to a few ms at national scale). Rare words are unaffected.
# A phrase of common words costs in proportion (each row of the newest is read until
# this many match): 1000 took 50 ms for "psykisk ohälsa" at national scale, 500 half
# that, and 20 pages of results are more than anyone reads; the filters reach others.
MAX_RESULTS = 500


def index_protocol(meeting: Meeting) -> int:
    """Write the search entries of a justerat protocol from its public version, so
    that nothing the public may not read can be found (a confidential paragraph has
    only its public title there, masked spans are gone).

    Changes: replaces the meeting's SearchEntry rows; on PostgreSQL fills their
    tsvector. Returns how many.
    """
    data = public_version.load(PublicProtocol.objects.get(meeting=meeting))
    SearchEntry.objects.filter(meeting=meeting).delete()
    entries = []
    for p in data["paragraphs"]:
        # A decision's words, and who reserved themselves against it and why: a
        # citizen searches for a reservation too (issue 29, 10).
        decisions = "\n".join(
            "\n".join(
                [d["text"], *(f"{r['person']}: {r['motivation']}" for r in d["reservations"])]
            )
            for d in p["decisions"]
        )
        title, body = p["title"], f"{p['text']}\n{decisions}".strip()
        entries.append(
            SearchEntry(
                meeting=meeting, date=meeting.date, number=p["number"], title=title, body=body
            )
        )
    SearchEntry.objects.bulk_create(entries)
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(meeting=meeting).update(vector=VECTOR)
    return len(entries)


class Plain(Func):
    """A text case-folded and without the marks that a query typed on a keyboard
    without å, ä and ö leaves out: "sammantradesplan" finds "sammanträdesplan".
    PostgreSQL's translate() needs no extension; on SQLite the function is
    registered on each connection (`register_fold`), both from ACCENTS."""

    function = "paragraf_plain"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            function="translate",
            template=f"lower(%(function)s(%(expressions)s, '{ACCENTS}', '{PLAIN}'))",
            **extra,
        )


# Both cases: PostgreSQL's lower() folds only ASCII under the C locale.
ACCENTS, PLAIN = "åäöéèüæøáàÅÄÖÉÈÜÆØÁÀ", "aaoeeuaoaaAAOEEUAOAA"
_UNMARKED = str.maketrans(ACCENTS, PLAIN)


def plain(text: str) -> str:
    return text.casefold().translate(_UNMARKED)


# The words as written (weights A and B, ranked), and once more without their marks
# (weight D): a query without å/ä/ö asks the plain lexemes, one with them the others.
VECTOR = (
    SearchVector("title", weight="A", config="swedish")
    + SearchVector("body", weight="B", config="swedish")
    + SearchVector(
        Plain(Concat("title", Value(" "), "body", output_field=TextField())),
        weight="D",
        config="swedish",
    )
)


# Where to look first: matches of the last years are found by combining the text
# index with the date index, without reading the older matches of a common word;
# only if they are fewer than MAX_RESULTS is the whole archive read.
RECENT = datetime.timedelta(days=3 * 365)


def _newest(matches: QuerySet[SearchEntry]) -> list[int]:
    """The ids of at most MAX_RESULTS matches, newest first."""

    def ids(qs):
        ordered = qs.order_by("-date", "-meeting_id", "number")
        return list(ordered.values_list("pk", flat=True)[:MAX_RESULTS])

    recent = ids(matches.filter(date__gte=timezone.localdate() - RECENT))
    return recent if len(recent) == MAX_RESULTS else ids(matches)


class Fold(Func):
    """A text case-folded as Python folds it (SQLite's LOWER and LIKE fold ASCII only;
    the function is registered on each SQLite connection, `register_fold`)."""

    function = "paragraf_fold"
    output_field = TextField()


def register_fold(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "paragraf_fold", 1, lambda text: text.casefold() if text else text, deterministic=True
        )
        connection.connection.create_function(
            "paragraf_plain", 1, lambda text: plain(text) if text else text, deterministic=True
        )


def clean_query(raw: str) -> str:
    # NUL cannot go to PostgreSQL; other control characters mean nothing here.
    return _printable(raw)[:MAX_QUERY]


def _printable(raw: str) -> str:
    return " ".join("".join(c for c in raw if c.isprintable()).split())


def was_shortened(raw: str) -> bool:
    """Whether the query was longer than a search reads (the page says so)."""
    return len(_printable(raw)) > MAX_QUERY


# --- What a query asks: words in any of their forms, phrases, exclusions -----------

# Swedish inflection endings (plural, definite, genitive, participles) taken off a
# query word, and put on what is left, to find its other forms: "beslutet" also asks
# for "beslut", "besluten" …, "insats" for "insatser" … The stem left is at least
# STEM_MIN letters: a citizen searching any form of a word finds its paragraphs.
ENDINGS = sorted(
    {"arnas", "ernas", "ornas", "arna", "erna", "orna", "ande", "ade", "are", "ens", "ets",
     "ers", "ars", "ors", "an", "en", "et", "er", "ar", "or", "na", "de", "te", "s"},
    key=len, reverse=True,
)  # fmt: skip
STEM_MIN = 4
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
WORD = re.compile(r"[^\W_]+")


@dataclass
class Term:
    words: list[str]  # one word, or the words of a phrase in order
    excluded: bool = False
    either: bool = False  # joined to the term before by OR

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


def forms(word: str) -> list[str]:
    """The word and the stems it leaves without an inflection ending, casefolded.
    A noun in -an makes its other forms in -ning ("ansökan", "ansökningar",
    "ansökningen"; "anmälan", "förfrågan"), so each of those asks for the other."""
    word = word.casefold()
    found = [word]
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= STEM_MIN:
            found.append(word[: -len(ending)])
    for form in list(found):
        if form.endswith("ning") and len(form) - 4 >= STEM_MIN:
            found.append(form[:-4] + "an")
        elif form != word and word == form + "an":
            found.append(form + "ning")
    return list(dict.fromkeys(found))


def terms(q: str) -> list[Term]:
    """The query as web search reads it: words (all must match), "a phrase", -word
    to exclude, OR between two terms. Anything but letters and digits separates."""
    found: list[Term] = []
    either = False
    for quoted_minus, quoted, minus, plain in TOKEN.findall(clean_query(q)):
        text = quoted if quoted or quoted_minus else plain
        if not quoted and not quoted_minus and plain.casefold() == "or":
            either = bool(found)
            continue
        words = [w.casefold() for w in WORD.findall(text)][:10]
        if words:
            found.append(Term(words, excluded=bool(quoted_minus or minus), either=either))
        either = False
    return found[:10]


def inflections(word: str) -> list[str]:
    """The word, the stems it leaves without an ending, and each of them with each
    ending: the forms a query word stands for. PostgreSQL's Swedish stemmer does not
    bring every form of a word to one lexeme ('insats' is 'insat' but 'insatser' is
    'insats'), so all of them are asked for, each stemmed. Exact lexemes, not
    prefixes: the planner estimates them well, and 'budg…' is no word."""
    found = forms(word)
    found += [base + ending for base in found if len(base) >= STEM_MIN for ending in ENDINGS]
    return list(dict.fromkeys(found))


# Each word's lexemes as PostgreSQL's 'swedish' configuration makes them: (its own,
# or "" for a stop word; those of all its inflections). Asked once per word and
# process: a dictionary does not change while the server runs.
_LEXEMES: dict[str, tuple[str, tuple[str, ...]]] = {}
_LEXEMES_KEPT = 20000


def lexemes(words: set[str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The lexemes of these words, in at most one query (none when all are known):
    the query then names each lexeme once, however many forms share it, which keeps
    ranking and headlines as cheap as for the word alone."""
    missing = sorted(w for w in words if w not in _LEXEMES)
    if missing:
        if len(_LEXEMES) + len(missing) > _LEXEMES_KEPT:
            _LEXEMES.clear()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w, tsvector_to_array(to_tsvector('swedish', w)), "
                "tsvector_to_array(to_tsvector('swedish', f)) "
                "FROM unnest(%s::text[], %s::text[]) AS t(w, f)",
                [missing, [" ".join(inflections(w)) for w in missing]],
            )
            for word, own, all_forms in cursor.fetchall():
                _LEXEMES[word] = ((own or [""])[0], tuple(sorted(all_forms or ())))
    return {w: _LEXEMES[w] for w in words}


def tsquery(found: list[Term], known: dict[str, tuple[str, tuple[str, ...]]]) -> str:
    """The terms as a to_tsquery text of lexemes (for the 'simple' configuration,
    which leaves them as they are): a word as any of its forms' lexemes, a phrase as
    its words' own lexemes in order. A stop word asks nothing (as in web search).
    Lexemes are letters and digits only, so no input can make the syntax fail."""
    parts: list[str] = []
    for term in found:
        if term.is_phrase:
            words = [known[w][0] for w in term.words if known[w][0]]
            text = " <-> ".join(f"'{w}'" for w in words)
        else:
            text = " | ".join(f"'{w}'" for w in known[term.words[0]][1])
        if not text:
            continue
        text = f"!({text})" if term.excluded else f"({text})"
        parts.append((" | " if term.either else " & ") + text if parts else text)
    return "".join(parts)


class AmongIds(Lookup):
    """`pk__among=ids` on PostgreSQL: the ids as one array parameter (`= ANY(%s)`),
    where `pk__in` sends and prepares each of up to MAX_RESULTS values (bench/: 2 ms
    of a search page went to preparing two lists of 500 ids). The same plan."""

    lookup_name = "among"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


SearchEntry._meta.pk.register_lookup(AmongIds)


def _among(ids: list[int]) -> Q:
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    # One parameter, passed on whole: Django walks a list item by item, and an
    # ArrayField value prepares each item (1 ms for 500 ids). No table is named, so
    # the condition stays uncorrelated inside the ranking subquery.
    return Q(pk__among=RawSQL("%s::bigint[]", [ids]))


class Matches:
    """The matches of a search, for a Paginator. How many is known from finding them,
    so a page costs no count. A page is ranked among the matches and only its own
    entries are joined to their meetings and given a headline, in one query: ranking
    reads the matches' vectors alone (bench/: a page went from 14 to 4 ms)."""

    def __init__(self, found: list[int], *, rank: dict, order: tuple, shown: dict):
        self.found, self.rank, self.order, self.shown = found, rank, order, shown

    def count(self) -> int:
        return len(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def __getitem__(self, index: slice) -> list[SearchEntry]:
        if not self.found:
            return []
        ranked = SearchEntry.objects.filter(_among(self.found)).annotate(**self.rank)
        page = ranked.order_by(*self.order).values("pk")[index]
        return list(
            SearchEntry.objects.filter(pk__in=page)
            .select_related("meeting__body__organisation")
            .defer("vector", "body")  # the page shows the snippet, never these
            .annotate(**self.rank, **self.shown)
            .order_by(*self.order)
        )


NOTHING = Matches([], rank={}, order=(), shown={})


def search(q: str, *, published: QuerySet[Meeting]) -> Matches:
    """Entries of `published` meetings matching `q`, best first, each with `snippet`
    (raw, marked with START/STOP; see `highlight`)."""
    found = terms(q)
    if not [t for t in found if not t.excluded]:
        return NOTHING
    if connection.vendor == "postgresql":
        known = lexemes({w for term in found for w in term.words})
        text = tsquery(found, known)
        if not text or text.startswith("!"):  # stop words only, or only exclusions
            return NOTHING
        query = SearchQuery(text, config="simple", search_type="raw")
        # The candidates are found once, here, rather than again for the count
        # and for the page: finding them is most of a search's time.
        newest = _newest(SearchEntry.objects.filter(vector=query, meeting__in=published))
        headline = SearchHeadline(
            "body",
            query,
            config="swedish",
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=15,
        )
        return Matches(
            newest,
            rank={"rank": SearchRank(F("vector"), query)},
            order=("-rank", "-date", "number"),
            shown={"snippet": headline},
        )
    # SQLite: each term as text contained in the title or body (a word in any of its
    # forms, a phrase as written), folded alike on both sides; a term typed without
    # å/ä/ö is looked for in the text without them too.
    condition = Q()
    for term in found:
        candidates = [" ".join(term.words)] if term.is_phrase else forms(term.words[0])
        kind = "plain" if all(plain(w) == w for w in term.words) else "folded"
        matches = Q()
        for text in candidates:
            matches |= Q(**{f"{kind}_title__contains": text}) | Q(
                **{f"{kind}_body__contains": text}
            )
        matches = ~matches if term.excluded else matches
        condition = (condition | matches) if term.either else (condition & matches)
    # SQLite folds only ASCII letters itself: Ö and ö, Å and å are folded here.
    folded = SearchEntry.objects.annotate(
        folded_title=Fold("title"),
        folded_body=Fold("body"),
        plain_title=Plain("title"),
        plain_body=Plain("body"),
    )
    newest = _newest(folded.filter(condition, meeting__in=published))
    return Matches(newest, rank={}, order=("-date", "number"), shown={"snippet": F("body")})


def highlight(snippet: str, q: str) -> SafeString:
    """The snippet, escaped, with the hits in <mark>. On SQLite, where the database
    marks nothing, the words are found here and the text shortened around the first."""
    text = snippet or ""
    if START not in text:
        # Each word by its shortest form found in the text (which the other forms
        # there contain), a phrase whole.
        words = [
            " ".join(t.words) if t.is_phrase else _shortest_in(text, forms(t.words[0]))
            for t in terms(q)
            if not t.excluded
        ]
        at = [_seen(text, w).find(w.lower()) for w in words]
        first = min((i for i in at if i >= 0), default=0)
        start = max(0, first - 80)
        text = (
            ("…" if start else "")
            + text[start : start + 240]
            + ("…" if len(text) > start + 240 else "")
        )
        for word in sorted(set(words), key=len, reverse=True):
            text = _mark_word(text, word)
    escaped = escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))


def _shortest_in(text: str, candidates: list[str]) -> str:
    """The shortest of a word's forms that the text holds ("årsredovisning", not the
    "årsredovisan" that only asks for another noun's form), else the shortest."""
    present = [c for c in candidates if c.lower() in _seen(text, c)]
    return min(present or candidates, key=len)


def _seen(text: str, word: str) -> str:
    """The text as a word is looked for in it, letter for letter (translate keeps each
    letter's place): lower-cased, and without å/ä/ö when the word is typed without."""
    lowered = text.lower()
    return lowered.translate(_UNMARKED) if plain(word) == word.lower() else lowered


def _mark_word(text: str, word: str) -> str:
    if not word:
        return text
    out, lowered, w, i = [], _seen(text, word), word.lower(), 0
    while True:
        j = lowered.find(w, i)
        if j < 0:
            out.append(text[i:])
            return "".join(out)
        # The whole word that contains the form ("insat" marks "insatserna").
        start, end = j, j + len(w)
        while start > i and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        out.append(text[i:start] + START + text[start:end] + STOP)
        i = end
