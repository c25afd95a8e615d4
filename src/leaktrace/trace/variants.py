"""The curated list of wording variants: pairs that read naturally and mean the same.

Ids are grouped by kind (``spelling.``, ``hyphen.``, ``punct.``, ``number.``, ``phrase.``,
``contraction.``); vetoing a group's name vetoes all of it. Guidelines for adding a pair:

- both forms are standard English in the register the variant ``requires`` (contractions only
  where the document already contracts; -ise/-ize and "whilst" only where it spells British);
- the swap keeps meaning *and* grammar wherever the conditions let it match; when one form has
  other meanings, only the unambiguous one may stand in the original (``sources``);
- no form belongs to two pairs of one variant, and no form is a rewrite target of another
  variant's pair (the tests check both).
"""

from __future__ import annotations

from leaktrace.trace.variant import SENTENCE_START, Variant

V = Variant


def _split(text: str) -> list[str]:
    return text.split()


def _family(stems: str, suffixes: str, first: str, second: str) -> tuple[tuple[str, str], ...]:
    """Pairs for every stem and suffix: ``stem + first + suffix`` / ``stem + second + suffix``."""
    return tuple(
        (f"{stem}{first}{suffix}", f"{stem}{second}{suffix}")
        for stem in _split(stems)
        for suffix in suffixes.split(",")
    )


def _compounds(words: str, plural: str = "") -> tuple[tuple[str, str], ...]:
    """Hyphenated and closed compounds: "time-out" / "timeout", and "-s" plurals of ``plural``."""
    pairs = []
    for word in _split(words):
        pairs.append((word, word.replace("-", "")))
        if word in _split(plural):
            pairs.append((f"{word}s", f"{word}s".replace("-", "")))
    return tuple(pairs)


# fmt: off
_IZE_STEMS = (
    "organ recogn real priorit summar minim maxim emphas final author util optim standard"
    " categor critic apolog special central character custom digit mobil modern normal stabil"
    " capital visual harmon incentiv formal local monet rational scrutin synchron subsid"
    " jeopard memor computer energ familiar global hospital industrial institution legitim"
    " neutral operational personal popular revital sanit"
)
_DETERMINER = (
    r"\s+(?i:the|these|those|our|their|its|your|his|her|my|this|that|all|most|some|no|each"
    r"|every|a|an|any|many|both|several|we|it|they|there|he|she|i|you)\b"
)
_OWNER_BEFORE = r"(?i:\b(?:the|our|their|its|this|your|his|her|my))\s+"
_NOUN_BEFORE = r"(?i:\b(?:a|an|the|no|our|their|its|this|that|any|new|good|great|urgent|clear))\s+"
_NUMBER_AFTER = r"\s+[$\u00a3\u20ac]?\d{1,3}(?:,\d{3})*(?:\.\d+)?(?!\d|[,.]\d)"
"""A number of at most three digits (or with thousands commas): never a year ("since 2008")
nor a four-digit count; the negative lookahead also stops a backtrack to its first three
digits."""
_CLAUSE_VERBS = (
    "said says say believe believes believed think thinks thought expect expects expected"
    " hope hopes hoped confirm confirms confirmed agree agrees agreed show"
    " shows showed shown suggest suggests suggested found know knows knew feel feels felt mean"
    " means meant indicate indicates indicated estimate estimates estimated understand"
    " understands understood announced reported stated explained argued assume assumes"
    " assumed decided concluded recommend recommends recommended realized recognize"
    " recognized acknowledge acknowledged insist insists insisted confident pleased glad aware"
    " hopeful"
)
"""Verbs (and adjectives) whose 'that' may go. Not those that also take an object, so that
"noted the risk was" would first read as "noted the risk": note, remember, reveal, claim."""
MONTHS = tuple(_split(
    "January February March April May June July August September October November December"
))
WEEKDAYS = tuple(_split("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"))


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _dates() -> tuple[tuple[str, ...], ...]:
    """Every day of every month, written four ways: "1 February", "February 1", "1st February",
    "February 1st" (folded)."""
    return tuple(
        (f"{day} {month}", f"{month} {day}", f"{_ordinal(day)} {month}", f"{month} {_ordinal(day)}")
        for month in (name.lower() for name in MONTHS)
        for day in range(1, 32)
    )


_CLAUSE_SUBJECT = (
    r"\s+(?i:we|they|it|he|she|i|you|there|this)\s+(?i:is|are|was|were|will|would|can|could"
    r"|should|may|might|must|has|have|had|does|did|needs?)\b"
)
"""A pronoun and a finite verb: what follows a verb of saying is then a clause."""
_NUMBERS = tuple(zip(
    _split("2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 30 40 50 60 70 80 90"),
    _split("two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
           " sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty"
           " ninety"),
    strict=True,
))
# A capitalized word before a number names a thing ("Windows 10", "Python 3"), except the
# words that open a sentence ("In 12 weeks").
_NOT_NUMBER_NAME = (
    r"\b(?!(?:In|On|At|By|For|Within|After|Over|Under|About|Only|All|The|With|To|And|But|Or"
    r"|Our|Their|These|Those|Some|Its|Every|Each|Nearly|Almost|Around|Roughly|Just|Another"
    r"|From|Since|Until|Before|During)\s)[A-Z][\w.'-]*\s+"
)
_NOT_NUMBER_LABEL = (
    r"(?i:\b(?:page|pages|section|chapter|step|phase|article|clause|figure|table|version"
    r"|item|no|number|room|level|grade|stage|part|appendix|annex|schedule|tier|round|option"
    r"|line|paragraph|rule|point|question|slide|week|day|year|month|floor|exhibit|unit|box"
    r"|column|row|model|type|size|class|zone|area|building|priority|band|release|issue|q"
    r"|descriptor|compat|compatibility|port|code|signal|offset|index|id|mode|exit|status"
    r"|return|returns|value|width|length|count|limit|depth|weight|score|factor|channel|slot"
    r"|sector|block|bit|byte|register|pin|bus|node|group|user|argument|field|to)\s+)"
)
_CONTRACTED_NOT = (
    ("do not", "don't"), ("does not", "doesn't"), ("did not", "didn't"), ("is not", "isn't"),
    ("are not", "aren't"), ("was not", "wasn't"), ("were not", "weren't"),
    ("will not", "won't"), ("would not", "wouldn't"), ("should not", "shouldn't"),
    ("could not", "couldn't"), ("cannot", "can't"), ("has not", "hasn't"),
    ("have not", "haven't"), ("had not", "hadn't"),
)
_CONTRACTED_PRONOUN = (
    ("it is", "it's"), ("that is", "that's"), ("there is", "there's"), ("we are", "we're"),
    ("they are", "they're"), ("you are", "you're"), ("we will", "we'll"),
    ("they will", "they'll"), ("you will", "you'll"), ("i am", "i'm"), ("i will", "i'll"),
    ("he is", "he's"), ("she is", "she's"), ("we would", "we'd"), ("they would", "they'd"),
    ("you would", "you'd"), ("i would", "i'd"), ("what is", "what's"), ("who is", "who's"),
)
_WRAPPED = r"(?:[^,.;:!?()\n]|\n(?![ \t]*\n))"
"""A character of a clause without punctuation: a line break only where the paragraph goes on
(hard-wrapped text breaks lines anywhere)."""
_LIST_BEFORE = r",\s+" + _WRAPPED + r"{1,60}"  # an earlier list comma, then one item
_OPENERS = (
    r"(?:Therefore|Thus|Also|Today|Now|Currently|Recently|Instead|Meanwhile|Similarly|Likewise"
    r"|Again|Then|Later|Next|Overall|Ultimately|Typically|Generally|Usually|Often|Sometimes"
    r"|Traditionally|Historically|Unfortunately|Fortunately|Importantly|Notably|Specifically"
    r"|Additionally|Furthermore|Moreover|Consequently|Finally|Lastly|First|Second|Third"
    r"|Firstly|Secondly|Thirdly|In\s+particular|In\s+practice|In\s+general|In\s+short"
    r"|In\s+addition|In\s+contrast|In\s+fact|By\s+default|By\s+contrast|As\s+a\s+result"
    r"|As\s+such|Of\s+course|At\s+present|At\s+first|For\s+example|For\s+instance"
    r"|Initially|Originally|Previously|Subsequently|Alternatively|Accordingly|Hence|Indeed"
    r"|Clearly|Naturally|Otherwise|Eventually|Hopefully|Ideally|Essentially|Collectively"
    r"|Separately|Elsewhere|Conversely|Equally|Nevertheless|Nonetheless|Afterwards|Afterward"
    r"|Beforehand|Altogether|Together|Understandably|Surprisingly|Interestingly|Regardless"
    r"|Yesterday|Tomorrow|Earlier|So\s+far|To\s+date|Until\s+now|Up\s+to\s+now|For\s+now"
    r"|As\s+expected|As\s+planned|As\s+agreed|As\s+discussed|As\s+noted|As\s+before"
    r"|To\s+this\s+end|To\s+that\s+end|For\s+this\s+reason|For\s+that\s+reason|In\s+turn"
    r"|In\s+response|In\s+return|On\s+average|On\s+balance|By\s+comparison|In\s+comparison"
    r"|With\s+this\s+in\s+mind|With\s+that\s+in\s+mind|Since\s+then|Until\s+then"
    r"|(?:Last|This|Next)\s+(?:year|month|week|quarter|spring|summer|autumn|fall|winter)"
    r"|(?:Earlier|Later)\s+this\s+(?:year|month|week|quarter)"
    r"|[A-Z][a-z]{3,}(?:ally|ately|ently|ously|ively|ibly|ably|ully|antly|edly|ingly))"
)
_NOUN_AFTER = r"\s+(?i:the|a|an|our|their|its|this|these|those|your|his|my)\b"
# A determiner and a noun that heads relative clauses ("the plan that we agreed"), then
# "that". An allow-list: after most other nouns "that" may open a content clause, which
# keeps its "that" ("a comment that this is not portable", "the fact that we").
_RELATIVE_NOUNS = (
    "way ways time times people staff thing things one ones work changes steps issues problems"
    " data results report reports figures numbers amount level levels rate rates date day days"
    " week weeks month months year years plan plans budget savings costs price prices product"
    " products service services customer customers client clients partner partners site sites"
    " system systems tool tools code line lines file files record records document documents"
    " process approach money team teams person company companies project projects option"
    " options place places method methods task tasks questions area areas targets terms"
    " version versions feature features program programs software choices mistakes lessons"
    " risks effort progress support advice work contract contracts offer offers deal deals"
    " budget spending sales orders order goods equipment space office offices room rooms"
)
_RELATIVE_BEFORE = (
    r"(?i:\b(?:the|a|an|our|their|your|my|every|each|this|these|those|any|some|all)\s+"
    r"(?:" + "|".join(sorted(set(_split(_RELATIVE_NOUNS)))) + r"))"
)
_TIME_NOUNS = _split("time times date day days week weeks month months year years")
_NOT_WHICH_NOUNS = _split(
    "people staff person customer customers client clients partner partners team teams company"
    " companies way ways plan report contract offer deal advice risks order"
)
_RELATIVE_WHICH_BEFORE = (
    r"(?i:\b(?:the|a|an|our|their|your|my|every|each|this|these|those|any|some|all)\s+"
    r"(?:"
    + "|".join(sorted(set(_split(_RELATIVE_NOUNS)) - set(_TIME_NOUNS) - set(_NOT_WHICH_NOUNS)))
    + r"))"
)
"""A noun a restrictive 'which' may follow ("the figures which we sent"): not a person or a
group ("told the team that we would" holds a content clause, and people take 'who'), not a
time ("the day which we met"), not "way" ("the way which we work") and not a noun that takes
a content clause ("the risk that we lose it", "the report that sales fell")."""
_TOLD_BEFORE = (
    r"(?i:\b(?:tell|tells|told|telling|remind|reminds|reminded|assure|assures|assured|warn"
    r"|warns|warned|inform|informs|informed|notify|notified|show|shows|showed|shown|convince"
    r"|convinced|persuade|persuaded|promise|promised|advise|advised|teach|taught)"
    r"\s+[\w'-]+\s+[\w'-]+)"
)
"""A verb that takes an object and a 'that' clause ("reminded the office that we close"): the
'that' after its object is no relative pronoun."""
_AUXILIARIES = _split(
    "is are was were has have had will would can could should might must does do did"
)
"""Not "may": a copy writes "May" as the month."""
_PERSON_WORDS = (
    "people|person|persons|child|children|man|men|woman|women|staff|friends?|colleagues?"
    "|clients?|guests?|experts?|analysts?|architects?|candidates?|adults?|individuals?|citizens?"
    "|residents?|victims?|families|family|public|nurses?|chief|heads?|clerks?|peers?|boss"
    "|more|less|most|least|best|worst|first|last|only|same|ones?|kind|sort|type"
    "|means|shows|says|suggests|implies|ensures|indicates|confirms|proves|explains|requires"
)
_SUBJECT_RELATIVE_BEFORE = (
    r"(?i:\b(?:the|a|an|our|their|its|this|these|those|any|some|every|each|your|my|all|no"
    r"|another))\s+(?!(?:" + _PERSON_WORDS + r")\s)"
    r"(?![a-z-]*(?:er|ers|or|ors|ist|ists|ant|ants|ent|ents|ee|ees|ian|ians|man|men|body)\s)"
    r"[a-z][a-z-]*\s+"
)
"""A determiner and one word that is no person ("the upgrade"), before 'that' or 'which' and
an auxiliary verb: a subject relative ("the upgrade that has not"). People take 'who', so
words that may name one ("-er", "-or", "-ist", "-ant", "-ent", "-ee": "the user that has")
are left out, and so are "more", "the first", "the same" and verbs ("this means that is")."""
_VERB_BEFORE = (
    r"(?:" + SENTENCE_START + r"|(?i:\b(?:to|will|would|can|could|should|must|may|might|shall"
    r"|we|they|you|i|he|she|it|please|also|first|always|then|not|has|have|had|is|are|was"
    r"|were|be))\s+)"
)
"""What makes the next word a verb: a modal, 'to', a pronoun subject or an auxiliary, or the
start of a sentence (an instruction: "Check that ...")."""
_CLAUSE_AFTER = (
    r"\s+(?:the|we|they|it|he|she|I|you|there|this|these|those|our|their|its|your|his|my|all"
    r"|each|every|no|any)\b"
)
"""The subject of a clause, after 'that' or 'whether' (lower case but "I")."""
_TO_VERB = (
    r"\s+(?!(?:the|a|an|our|their|its|this|these|those|your|his|her|my|me|us|them|him|you|it"
    r"|all|everyone|everybody)\b)[a-z]"
)
"""After 'want to', 'try to': a verb, not an object ('to' as a preposition)."""
_RELATIVE_BEFORE_ADD = (
    r"(?i:\b(?:the|a|an|our|their|your|my|every|each|this|these|those|any|some|all)\s+"
    r"(?:" + "|".join(sorted(set(_split(_RELATIVE_NOUNS)) - set(_TIME_NOUNS))) + r"))"
)
_SPAN_AFTER = (
    r"\s+(?:(?:few|several|couple\s+of|\d{1,3}|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|eighteen|twenty|thirty|sixty|ninety)\s+)?"
    r"(?:days?|weeks?|months?|years?|quarters?|decades?)\b(?!\s+(?:of|before|after|to)\b)"
)
_SPELLED_AFTER = (
    r"\s+(?:" + "|".join(word for _, word in _NUMBERS)
    + r"|(?:a|one)\s+(?:dozen|hundred|thousand|million|billion))\b"
)
"""A spelled number from two, or "a hundred" ("more than six weeks")."""
_NOT_COMPARED = (
    r"(?i:\b(?:no|not|any|far|much|little|nothing|lot|even|way|rather|none|all|still))\s+"
)
"""Words that make "more than" no quantity ("no more than 5", "far more than 40")."""
_OVER_BEFORE = (
    r"(?i:\b(?:of|in|for|by|to|from|with|is|are|was|were|be|been|being|and|or|after"
    r"|within|has|have|had))\s+"
)
"""Where "over", "under" or "a minimum of" before a number is a quantity: after a preposition,
a copula or "and" ("in over 50 commits"), not after a verb ("took over 3 firms", "spread over
3 years", "go over 80 columns")."""
_MAY_BEFORE = r"[a-z,)]\s+"
""""may" after a word in lower case: not opening a sentence or a question ("May I"), and not
the month (the forms are matched in lower case only)."""
_MAY_BE_AFTER = (
    r"\s+(?:(?:even|much|far|slightly|somewhat|a\s+little|too|very|quite|partly|partially"
    r"|temporarily|briefly|still|no\s+longer)\s+)?(?:lost|affected|delayed|disrupted|damaged"
    r"|missed|interrupted|postponed|exposed|overlooked|unavailable|available|unable|able"
    r"|necessary|needed|possible|impossible|difficult|late|higher|lower|larger|smaller|longer"
    r"|shorter|slower|faster|greater|fewer|more|less|better|worse|different|wrong|incorrect"
    r"|inaccurate|incomplete|outdated|out\s+of\s+date|useful|helpful|relevant|true|enough"
    r"|sufficient|harder|easier|unclear|uncertain|aware|reluctant|unwilling|slow|tempted"
    r"|worth|subject\s+to|the\s+case|due\s+to|because|why)\b"
)
"""After "may be": an adjective or the participle of something that befalls ("the record may
be lost", "costs may be higher"): a possibility, never a permission ("may be used", "may be
copied", "may be required" state what one is allowed or obliged to do, and stay)."""
_MAY_NOT_AFTER = (
    r"\s+(?:(?:even|much|far|slightly|too|very|quite|always|immediately)\s+)?(?:available"
    r"|able|necessary|needed|possible|enough|sufficient|aware|true|the\s+case|accurate"
    r"|complete|correct|appropriate|suitable|relevant|clear|obvious|worth|ready|practical"
    r"|feasible|easy|obvious|up\s+to\s+date)\b"
)
"""After "may not be": an adjective of fact ("may not be available"); never a participle
("may not be copied" forbids)."""
_MAIN_NOUNS = (
    r"\s+(?:risks?|reasons?|concerns?|goals?|aims?|objectives?|priority|priorities|causes?"
    r"|issues?|purposes?|focus|drivers?|challenges?|factors?|benefits?|advantages?|themes?"
    r"|problems?|differences?|motivation|obstacles?|threats?|consideration|considerations)\b"
)
"""Nouns after which "main", "principal" and "primary" mean the same ("the main risk"); not
"primary school", "primary key", "primary care" or "primary source", "principal amount"."""
_NOT_LARGE_AFTER = (
    r"\s+(?:number|numbers|amount|amounts|proportion|part|percentage|share|quantity"
    r"|quantities|extent|degree|scale|sum|sums|majority|fraction)\b|-"
)
"""Nouns of quantity that take "large" but not "big" ("to a larger extent")."""
_STAFF_BEFORE = (
    r"(?i:\b(?:the|a|an|all|our|their|its|your|his|her|my|some|many|several|any|each|every"
    r"|other|no|these|those|few|more|most|two|three|four|five|six|seven|eight|nine|ten|new"
    r"|existing|individual|\d+))\s+"
)
_MAIN_BEFORE = r"(?i:\b(?:the|our|their|its|this|your|his|her|my|a|two|three))\s+"
_LARGE_BEFORE = (
    r"(?i:\b(?:the|our|their|its|this|your|his|her|my|a|these|those|much|far|even|slightly"
    r"|two|three))\s+"
)
_HOUR_BEFORE = r"(?<![\w.:,/$\u00a3\u20ac-])(?:[1-9]|1[0-2])"
"""An hour of a 12-hour clock, not part of a larger number, a date or a price."""
_ON_DAY_BEFORE = (
    r"(?i:\b(?:meet|meets|meeting|meetings|met|call|calls|session|sessions|held|hold|holds"
    r"|open|opens|opened|closed|closes|close|due|start|starts|started|begin|begins|began"
    r"|launch|launches|launched|published|released|available|back|arrive|arrives|arrived"
    r"|return|returns|returned|resume|resumes|live|sent|announced|briefing|review|workshop"
    r"|event|deadline|visit|interview|presentation|reply|respond))\s+"
)
"""A verb or noun of an event, before 'on' and a weekday ("a call on Thursday"): where 'on'
may go. Not a verb that takes 'on' ("insist on Monday", "depends on Friday", "decide on Monday"
is to choose it)."""
_CHANGE_AFTER = (
    r"\s+(?:(?:by|to|from)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+)?)?"
    r"[$\u00a3\u20ac]?\d[\d,.]*(?:\s*%|\s+(?:percent|per\s+cent|points|percentage\s+points"
    r"|million|billion|bn|m)\b)"
)
"""The size of a change: a percentage, points or a sum of millions, right after the verb or
'by', 'to', 'from' ("rose 8%", "fell from 38% to 33%", "rose by $2 million")."""
_NOT_CHANGE_BEFORE = (
    r"(?i:\b(?:a|an|the|this|that|its|their|our|any|no|each|every|further|sharp|small"
    r"|slight|steep|modest|big|large|significant|another|annual|expected|projected"
    r"|percentage|overall|total|net|we|they|i|you|he|she|please))\s+"
)
"""Where the form is no verb of change: a noun ("a rise of 5%", "the sharp fall to 3%"), or a
verb with an agent ("we increased 5 ..." may take an object)."""
_CHANGE_OF = r"[^.;:!?\n]{0,40}?(?:%|percent|cent|points|million|billion|bn|m)\s+of\b"
"""A share of something after the verb: it is an object ("drop 10% of the samples")."""
_NOT_CHANGE_PAST = (
    r"(?i:\b(?:has|have|had|having|been|did|does|do|will|would|can|could|should|may|might"
    r"|must|to|not|is|are|was|were|be))\s+"
)
"""Before a past tense: a participle or a bare verb would follow ("has fell", "will rose",
"was increased by")."""
_PRONOUNS = _split("we they you he she it i")
# Not "no", "all", "each", "most": they may float in a clause whose subject is "that" ("a
# file that no longer exists", "files that each hold").
_THAT_DET = _split("the our their its your his my this these")
_CLAUSE_BEFORE = (
    r"(?:If|When|Once|After|Before|Although|Though|Because|Since|Unless|While|Whenever|Until"
    r"|Where|Wherever|Whether|As\s+soon\s+as|Now\s+that|Even\s+if|Even\s+though"
    r"|Provided\s+that|Assuming\s+that)"
    r"\s+" + _WRAPPED + r"{3,60}"
)
_CLAUSE_LONG_OPENER = (
    r"(?:If|When|Once|After|Before|Although|Though|Because|Since|Unless|While|Whenever|Until"
    r"|Even\s+if|Even\s+though|As\s+soon\s+as|Now\s+that)\s+"
)
_CLAUSE_LONG_BEFORE = _CLAUSE_LONG_OPENER + _WRAPPED + r"{60,160}\b"
"""An opening clause too long for punct.clause_comma (61 to 160 characters)."""
_TIME_END = (
    r"(?:\d+%?|percent|cent|(?:days?|weeks?|months?|years?|quarters?|hours?|minutes?)"
    r"|today|tomorrow|yesterday|again|already|later|earlier|soon|late|early|on\s+time)"
)
"""A last word that takes no object: the clause it ends cannot run on into the next subject."""
_INTRO_BEFORE = (
    SENTENCE_START
    + r"(?:In|On|At|By|During|After|Before|Since|Until|Over|For|Following|Within|Under|From"
    r"|Through|Throughout|Across|Despite|Given|Without|Unlike|Among|Between|Beyond|Outside"
    r"|(?:Due|Thanks)\s+to|(?:As|Ahead|Because)\s+of|Compared\s+with|Apart\s+from"
    r"|(?:Along|Together)\s+with)\s+(?:[A-Z0-9][\w'-]*|[\w'-]+(?:\s+[\w'-]+){1,4})"
)
_INTRO_SHORT = (
    SENTENCE_START
    + r"(?:In|On|At|By|During|After|Before|Over|Within|Throughout|Since|Until|Following)\s+"
    r"(?:[\w'-]+\s+){0,2}(?:January|February|March|April|May|June|July|August|September"
    r"|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|\d{1,4}s?|years?|quarters?|months?|weeks?|days?|spring|summer|autumn|fall|winter"
    r"|mornings?|afternoons?|evenings?|period|past)"
)
"""A short opening phrase of time: a preposition, at most two words and a word of time ("In
March", "During the third quarter"). Not of place or topic: "In the report the board
published, ..." opens with a relative clause that a comma after "report" would cut."""
_SUBJECT_AFTER = (
    r"\s+(?:the|we|they|it|he|she|I|you|there|our|their|its|this|these|most|many|some|all"
    r"|each|every)\s+[a-z]"
)
"""Lower-case: the subject of a clause after an opener (a capital may start a name in a
longer opening phrase)."""
_INTRO_NOT_BEFORE = (
    r"(?i:other\s+hand|other\s+words|same\s+time|meantime|long\s+run|the\s+end|first\s+place"
    r"|this\s+case|that\s+case|any\s+case|short|brief|general|particular|addition|fact"
    r"|contrast|example|instance|summary|conclusion|practice|theory|turn|total|effect)"
)

# -- Sentences joined or split (bold). A sentence boundary "X. This ..." is written
# "X; this ..." (and back) only between two plain statements of one paragraph: the first of
# 24 to 220 characters, the second of at most 220, neither holding a semicolon, colon,
# question or exclamation, the first not ending in an abbreviation ("Inc.") nor opening with a
# word that may itself be joined (so two boundaries in a row are never both slots: a copy is
# never a chain of semicolons).
_JOIN_OPENERS = _split("this these that those it they we he she you there i")
_JOIN_ADVERBS = _split("however instead otherwise therefore indeed thus")
_IN_SENTENCE = r"(?:[^;:.!?()\[\]\n\u2013\u2014-]|\.(?=\S)|(?<=\w)-(?=\w)|\n(?![ \t]*\n))"
"""A character inside a sentence: no stop, semicolon, dash or bracket (a sentence in brackets
stays one), a period only inside a word ("4.5", "e.g"), a hyphen only inside a word, a line
break only where a paragraph goes on."""
_AFTER_STOP = r"[.!?][\"'\u201d\u2019)\]]*\s+"
_PARAGRAPH_START = r"(?:\A\s*|\n[ \t]*\n\s*)"
_SENTENCE_BODY = (
    r"[A-Z0-9\"']" + _IN_SENTENCE + r"{24,220}\b"
    r"(?!(?i:etc|approx|incl|esp|cf|viz|vs|misc|al|dept|govt|est|no|nos|fig|vol|ed|eds|pp"
    r"|ca|co|inc|ltd|corp|jr|sr|st|mr|mrs|ms|dr|prof|jan|feb|mar|apr|jun|jul|aug|sep|sept"
    r"|oct|nov|dec)\Z)(?:[A-Za-z]{2,}|\d{1,4})"
)
"""A plain sentence of 24 to 220 characters up to its last word, not an abbreviation."""
_JOIN_BEFORE = (
    r"(?:" + _PARAGRAPH_START + r"|" + _AFTER_STOP + r"(?!(?:"
    + "|".join(word.capitalize() for word in _JOIN_OPENERS + _JOIN_ADVERBS)
    + r"|But)\b))" + _SENTENCE_BODY
)
"""The first sentence of a join, up to its last word (the form starts with its stop). After
another sentence it does not open with a word that may be joined (that boundary may be a join
itself); opening a paragraph, it may."""
_BUT_BEFORE = r"(?:" + _PARAGRAPH_START + r"|" + _AFTER_STOP + r")" + _SENTENCE_BODY
"""The sentence a 'but' splits (its forms hold no semicolon: no chain to avoid)."""
_SENTENCE_REST = _IN_SENTENCE + r"{8,220}[\w\"'\u201d\u2019]\.(?:\s|\Z)"
"""What follows a join's opening word: the rest of a statement, ending in a full stop."""
_JOIN_CONTRACTED = (
    ("it is", "it's"), ("that is", "that's"), ("there is", "there's"), ("we are", "we're"),
    ("they are", "they're"), ("you are", "you're"), ("we will", "we'll"),
    ("they will", "they'll"), ("you will", "you'll"), ("he is", "he's"), ("she is", "she's"),
    ("we would", "we'd"), ("they would", "they'd"), ("you would", "you'd"), ("i am", "i'm"),
    ("i will", "i'll"), ("i would", "i'd"),
)
_NOT_HAS = (
    r"\s+(?:been|got|gotten|had|done|made|gone|seen|taken|given|known|shown|become|come"
    r"|[a-z]+ed)\b"
)
"""What may follow "it's" or "we'd" for "it has" or "we had" ("it's been"): never expanded as
"it is" or "we would", and never contracted from them either (one rule reads both)."""
_CONTRACTED_HAVE = (
    ("we have", "we've"), ("they have", "they've"), ("you have", "you've"), ("i have", "i've"),
)
_PARTICIPLE = (
    r"\s+(?:been|made|done|seen|had|found|taken|given|got|sent|spent|built|begun|known|shown"
    r"|chosen|kept|held|brought|bought|paid|met|heard|told|lost|won|written|become|grown"
    r"|[a-z]{2,}ed(?=\s*[.,]|\s+(?:the|a|an|our|their|its|this|these|that|those|to|from|with"
    r"|in|on|at|for|by|into|all|some|it|them|us|him|her|you|more|over|up|out|back|about|\d)\b))"
    r"\b"
)
"""A past participle: an irregular one, or a word in -ed followed by an object, a preposition
or a stop ("we have moved the date"; not "we have limited funds", where it is an adjective)."""
_BUT_AFTER = (
    r"\s+(?:(?:we|they|he|she|i)\s+[a-z]|(?:it|you|there)\s+(?:is|are|was|were|will|would|can"
    r"|could|should|may|might|must|has|have|had|do|does|did)\b)" + _SENTENCE_REST
)
"""After "but": a clause with its own subject (a pronoun that is only ever a subject, or "it",
"you", "there" and a finite verb) that ends the sentence."""

# -- Clauses joined by ", and" / ", so" split into sentences (bold). The first clause is a plain
# statement (as for a join, see _JOIN_BEFORE), with no list comma, no earlier ", and" and no
# word that may put the second clause inside its scope ("if", "when", "that", "said", "both",
# "between", ...); the second has its own subject and a finite verb and ends the sentence with
# no ", and" of its own.
_FINITE = (
    r"(?:is|are|was|were|will|would|can|could|should|may|might|must|has|have|had|does|did|do"
    r"|shall|remains|remain|remained|seems|seemed|appears|appeared|believes|expects|says"
    r"|thinks|knows|hopes|agrees|wants|intends|continues|depends|needs|requires|includes"
    r"|becomes|makes|takes|gives|gets|goes|comes|runs|lets|feels"
    r"|(?:shows|means|suggests|indicates|confirms|explains|implies)\s+that)\b"
)
"""Finite verbs that follow a clause's subject: auxiliaries and third-person verbs in -s that
are no plural nouns ("believes", not "plans"; "shows" only before "that")."""
_NOUN_WORD = (
    r"(?:(?!(?:and|or|but|nor|that|which|who|whom|whose|where|when|if|as|than|so|yet|because"
    r"|although|while|whether|to|not)\b)[a-z][a-z'-]*\s+)"
)
_CLAUSE_SUBJECT_VERB = (
    r"\s+(?:(?:we|they|he|she|I)\s+[a-z]|(?:it|you|there)\s+" + _FINITE
    + r"|(?:both|all|most|some|many|none|each|several)\s+(?:of\s+" + _NOUN_WORD + r"{1,4})?"
    + _FINITE
    + r"|(?:the|a|an|our|their|its|this|these|those|each|every|all|most|some|many|no|any|your"
    r"|his|her|my|both)\s+" + _NOUN_WORD + r"{1,5}" + _FINITE + r")"
)
"""A clause's subject and its finite verb: a pronoun that is only ever a subject and any word,
"it", "you" or "there" and a finite verb, or a determiner, one to five words of a noun phrase
(no conjunction, relative pronoun or "to") and a finite verb ("the budget impact is")."""
_NEXT_OPENERS = r"(?:" + "|".join(
    word.capitalize() for word in _JOIN_OPENERS + _JOIN_ADVERBS
) + r")\b"
_CLAUSE_END = (
    r"(?:(?!,\s+(?:and|but|so|or|yet|we|they|it|he|she|I|you|there|this|that)\s)"
    + _IN_SENTENCE + r"){0,200}[\w\"'\u201d\u2019)%]\."
)
"""The rest of the second clause: a plain statement ending in a full stop, with no ", and" of
its own and no comma before a pronoun ("Since X, and we are able to Y, it is better": the
clause was part of an opening one)."""
_CLAUSE_REST = _CLAUSE_END + r"(?!\s+" + _NEXT_OPENERS + r")(?:\s|\Z)"
"""The rest of a second clause that a copy may open with a semicolon: the next sentence does
not open with a word a join may tie to it (a copy never chains two semicolons)."""
_SCOPE_WORDS = (
    r"(?:(?i:\b(?:if|unless|until|once|because|although|though|while|whilst|whether|when"
    r"|whenever|where|wherever|provided|assuming|both|between|either|neither|that|say|says"
    r"|said|tell|tells|told|think|thinks|thought|believe|believes|believed|hope|hopes|hoped"
    r"|feel|feels|felt|know|knows|knew|mean|means|meant|assume|assumes|assumed)\b"
    r"|\b(?:since|" + "|".join(_split(_CLAUSE_VERBS)) + r")\s+(?:we|they|it|he|she|i|you"
    r"|there|the|this|these|those|our|their|its)\b)"
    r"|(?:\A|[.!?][\"'\u201d\u2019)\]]*\s+|\n[ \t]*\n\s*)(?:Since|As|After|Before|Given|Now"
    r"|Once|Until|Whereas|With|Without|Because)\b)"
)
"""Words whose scope may hold a second clause ("if X, and Y", "said X, and Y"): conjunctions
and verbs of saying or knowing; the other verbs of ``_CLAUSE_VERBS`` and "since" only before a
clause's subject ("confirm delivery windows" and "has since cleaned" hold none); and a
sentence opening with a word that may start an opening clause ("Since Debian policy
recommends X, and we can do Y, it is better")."""
_CLAUSE_NOT_BEFORE = r",\s" + _IN_SENTENCE + r"*|" + _SCOPE_WORDS + _IN_SENTENCE + r"*"
"""What keeps a first clause from being split off: a comma earlier in its sentence (a list, "A,
B, and the C team have agreed"; an earlier ", and"; or an opening phrase whose scope holds
both clauses, "In this case, X will be allowed, and Y will be allowed") or a word whose scope
may hold the second clause ("if", "that", "said", "both", "between")."""
_IMPERATIVE_VERBS = (
    r"(?:Add|Use|Find|Make|Set|Remove|Fix|Move|Change|Drop|Allow|Call|Check|Avoid|Ensure|Run"
    r"|Keep|Put|Let|Do|Don't|Don\u2019t|Try|Update|Install|Build|Pass|Return|Store|Create|Skip"
    r"|Mark|Switch|Handle|Disable|Enable|Write|Read|Open|Close|Press|Click|Type|Enter|Select"
    r"|Choose|Replace|Rename|Send|Copy|Delete|Restart|Recompile|Re-compile|Rebuild|Compile"
    r"|Include|Exclude|Define|Export|Import|Load|Save|Start|Stop|Wait|Give|Take|Go|Look|See"
    r"|Note|Consider|Follow|Limit|Increase|Reduce|Raise|Lower|Bump|Revert|Apply|Convert|Clear"
    r"|Reset|Initialize|Initialise|Mention|Document|Provide|Refuse|Reject|Accept|Support|Tell"
    r"|Ask|Specify|Insert|Append|Print|Show|Hide|Sort|Split|Merge|Test|Verify|Validate"
    r"|Unset|Clean|Introduce|Implement|Rewrite|Simplify|Improve|Prefer|Restore|Ignore"
    r"|Prevent|Warn|Fail|Bail|Treat)"
)
_IMPERATIVE_NOT_BEFORE = (
    r"(?:\A\s*|[.!?:][\"'\u201d\u2019)\]]*\s+|\n\s*(?:[-*+\u2022]\s+)?)"
    r"(?:(?:Just|Please|Simply|Then|First)\s+(?i:" + _IMPERATIVE_VERBS + r")|"
    + _IMPERATIVE_VERBS + r")\b" + _IN_SENTENCE + r"*"
)
"""A sentence that opens with a verb in the imperative ("Add support for X, so we don't run out
of memory"; "Re-compile them, and it should work"): 'so' after it states a purpose and 'and'
a consequence, which a new sentence would lose."""
_CLAUSE_OR_IMPERATIVE = _CLAUSE_NOT_BEFORE + "|" + _IMPERATIVE_NOT_BEFORE
_SO_SUBJECT_VERB = (
    r"\s+(?:(?:we|they|he|she|I)\s+(?!(?:can|could|may|might|will|would|shall|should|get"
    r"|gets|don't|don\u2019t|do\s+not|won't|won\u2019t|never|avoid|aren't|aren\u2019t"
    r"|are\s+not)\b)[a-z]"
    r"|(?:it|you|there)\s+(?:is|are|was|were|has|have|had|does|did|do|needs|remains|seems)\b"
    r"|(?:the|our|their|its|this|these|those)\s+" + _NOUN_WORD
    + r"{1,5}(?:is|are|was|were|has|have|had|does|did|do|needs|remains|seems)\b)"
)
"""After "so" meaning "therefore": a subject and a verb that is no modal ("so we can" is "so
that we can", a purpose, which a new sentence would change), nor a present that may state a
purpose ("so we get", "so we don't run out of memory", "so they aren't printed")."""

_CHANGE_NOUN_AFTER = (
    r"\s+in\s+(?!(?:the\s+)?(?:order|case|fact|time|turn|front|place|love|general|particular"
    r"|addition|part|advance|practice|theory|total)\b)[a-z]|\s+of\s+(?:(?:about|around|roughly"
    r"|approximately|nearly|almost|up\s+to|over|under|more\s+than|less\s+than|at\s+least"
    r"|some|just|only)\s+)?[$\u00a3\u20ac]?\d"
)
"""After a noun of change: 'in' and what changes ("an increase in costs"; not "in order",
"in case", "in fact"), or 'of' and its size ("a rise of 5%")."""
_CHANGE_NOUN_BEFORE = (
    r"(?i:\b(?:the|this|that|any|no|further|average|annual|overall|sharp|small|slight|steep"
    r"|modest|significant|large|substantial|dramatic|marked|gradual|steady|sudden|recent"
    r"|expected|projected|planned|proposed|total|net|price|cost|pay|rent|tax|fee|sales|revenue"
    r"|one-off|temporary|permanent|further|corresponding|similar|general|real))\s+"
)
"""A determiner or an adjective before a noun of change ("the", "an average", "a price");
never 'a' or 'an' (number.change_noun writes the article), nor a verb ("will rise in")."""

VARIANTS: tuple[Variant, ...] = (
    # -- spelling: both forms standard in the document's register
    V("spelling.toward", (("toward", "towards"),), note="preposition",
      example="The whole team moved {} the goal today."),
    V("spelling.afterward", (("afterward", "afterwards"),), note="adverb",
      example="The board met and we spoke {} about costs."),
    V("spelling.among", (("among", "amongst"),), requires="british",
      example="The budget was shared {} the four regional teams."),
    V("spelling.amid", (("amid", "amidst"),), requires="british",
      example="The plan went ahead {} the wider market turmoil."),
    V("spelling.whilst", (("while", "whilst"),), sources="b", requires="british",
      note="'while' is also a noun ('a while'): only 'whilst' may be the original",
      example="The team kept working on it {} the review went on."),
    V("spelling.adviser", (("adviser", "advisor"), ("advisers", "advisors")),
      example="The board has asked an {} to review the plan."),
    V("spelling.upward", (("upward", "upwards"), ("downward", "downwards"),
                          ("onward", "onwards"), ("backward", "backwards")), sources="b",
      not_before=r"(?i:wards)\s+(?:and|or)\s+",
      note="'upward' is also an adjective ('an upward trend'): only '-wards' may be the original;"
      " not in a pair ('forwards and backwards')",
      example="The figures were revised {} again this year."),
    V("spelling.judgement", _family("judg acknowledg", ",s", "ement", "ment"),
      example="The final call is a matter of {} for the board."),
    V("spelling.learnt", (("learned", "learnt"), ("spelled", "spelt")), sources="b",
      requires="british", note="'learned' is also an adjective",
      example="The lessons the team {} last year still apply."),
    V("spelling.ageing", (("ageing", "aging"),), requires="british",
      example="The report warns about the {} population in the region."),
    V("spelling.cancelled", _family("cancel", "ed,ing", "l", ""), requires="american",
      note="'canceled' is not British",
      example="The board has now {} the offsite meeting for good."),
    V("spelling.ize", _family(_IZE_STEMS, "e,es,ed,ing,ation,ations,er,ers", "iz", "is"),
      requires="british", note="Oxford -ize and -ise spelling are both British",
      example="The plan is to {} the new process this year."),
    V("spelling.yse", _family("analy paraly cataly", "e,es,ed,ing", "ys", "yz"),
      requires="british",
      example="The finance team will {} the results this week."),
    # -- hyphenation and closed compounds
    V("hyphen.email", _family("e", "mail,mails,mailed,mailing", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.cooperate", _family(
        "co", "operate,operates,operated,operating,operation,operative,ordinate,ordinates,"
        "ordinated,ordinating,ordination,ordinator,ordinators,worker,workers,founder,founders",
        "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.re", _family(
        "re", "use,used,uses,using,evaluate,evaluated,evaluation,establish,established,"
        "examine,examined,engage,engaged,elect,elected,enter,entered", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.pre", _family("pre", "existing,approved,arranged,order,ordered", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.non", _family("non", "profit,profits,compliance,compliant,essential,financial,"
                            "standard", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.site", _family("on off", "site", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.startup", (("start-up", "startup"), ("start-ups", "startups"),
                         ("roll-out", "rollout"), ("roll-outs", "rollouts"),
                         ("sign-off", "signoff"), ("sign-up", "signup")),
      example="Please send the {} to the whole team today."),
    V("hyphen.sub", _family("sub", "contractor,contractors,section,sections", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.mid", _family("mid", "year,term,week,month", "-", ""),
      example="Please send the {} to the whole team today."),
    V("hyphen.long", (("long-standing", "longstanding"), ("world-wide", "worldwide"),
                      ("ground-breaking", "groundbreaking"), ("e-commerce", "ecommerce"),
                      ("multi-year", "multiyear"), ("cyber-security", "cybersecurity")),
      example="Please send the {} to the whole team today."),
    V("hyphen.tech", (("file name", "filename"), ("file names", "filenames"),
                      ("user name", "username"), ("user names", "usernames"),
                      ("built-in", "builtin"), ("command-line", "command line"),
                      ("set-up", "setup"), ("back-up", "backup"), ("plug-in", "plugin"),
                      ("plug-ins", "plugins"), ("sub-directory", "subdirectory"),
                      ("sub-directories", "subdirectories"), ("on-line", "online"),
                      ("open-source", "open source"), ("third-party", "third party"),
                      ("real-time", "real time"), ("end-user", "end user"),
                      ("end-users", "end users"), ("non-zero", "nonzero"),
                      ("non-empty", "nonempty"), ("pre-processing", "preprocessing"),
                      ("re-run", "rerun"), ("multi-threaded", "multithreaded"),
                      ("time-stamp", "timestamp"), ("time-stamps", "timestamps"),
                      ("key word", "keyword"), ("key words", "keywords")),
      example="Please send the {} to the whole team today."),
    V("hyphen.space", (("health care", "healthcare"), ("well-being", "wellbeing"),
                       ("data set", "dataset"), ("data sets", "datasets"),
                       ("time frame", "timeframe"), ("time frames", "timeframes"),
                       ("web site", "website"), ("web sites", "websites"),
                       ("decision-making", "decision making"), ("under way", "underway")),
      example="Please send the {} to the whole team today."),
    V("hyphen.closed", _compounds(
        "time-out look-up fall-back stand-alone work-around drop-down cut-off"
        " print-out take-over pay-out hand-off turn-around walk-through first-hand hard-working"
        " run-time stand-by",
        plural="time-out look-up fall-back work-around drop-down cut-off print-out"
        " take-over pay-out hand-off walk-through"), sources="a",
      not_before=r"[/\\.]", not_after=r"[-/.]\w",
      note="only hyphenated in the original: a closed word may name an option ('timeout')",
      example="Please send the {} to the whole team today."),
    V("hyphen.business", (("company-wide", "companywide"), ("kick-off", "kickoff"),
                          ("kick-offs", "kickoffs"), ("trade-off", "tradeoff"),
                          ("trade-offs", "tradeoffs"), ("lay-off", "layoff"),
                          ("lay-offs", "layoffs"), ("hand-over", "handover"),
                          ("hand-overs", "handovers"), ("head count", "headcount")),
      example="Please send the {} to the whole team today."),
    # -- punctuation
    V("punct.serial_comma", ((",", ""),), mode="before", sources="a", before=_LIST_BEFORE,
      after=r"\s+(?:and|or)\s", note="only removed, where an earlier list comma shows a list",
      example="The review covers finance, operations{} and sales this year."),
    V("punct.conjunction_comma", ((",", ""),), mode="before", sources="a",
      not_before=_LIST_BEFORE, after=r"\s+(?:and|but|or)\s+[^,;:.!?()]{1,200}(?:[.;:!?]|\Z)",
      note="only removed, before a conjunction whose clause has no comma of its own",
      example="The review was late this year{} but the board approved it."),
    V("punct.opener_comma", ((",", ""),), mode="before", sources="a",
      before=SENTENCE_START + _OPENERS, after=r"\s+\w",
      note="comma after a sentence adverb ('By default, the ...')",
      example="Costs rose again last year. By default{} the board reviews them."),
    V("punct.opener_comma_add", ((",", ""),), mode="before", sources="b",
      before=SENTENCE_START + r"(?!Hence\b|So\b)" + _OPENERS, after=_SUBJECT_AFTER,
      note="comma added after a sentence adverb, before its clause's subject ('Currently we"
      " ...' -> 'Currently, we ...')",
      example="Costs rose again last year. Currently{} the board reviews them."),
    V("punct.intro_comma_add", ((",", ""),), mode="before", sources="b",
      before=_INTRO_SHORT, not_before=_INTRO_NOT_BEFORE, after=_SUBJECT_AFTER,
      note="comma added after a short opening phrase of time, before the subject ('In March"
      " the board' -> 'In March, the board')",
      example="Costs rose again. In March{} the board agreed to the plan."),
    V("punct.conjunction_comma_add", ((",", ""),), mode="before", sources="b",
      before=r"(?:[\w'-]+[^\w.!?;:\n]+){5}[\w'-]+",
      not_before=r"[,;:]|\b(?i:both|between|either|neither|and|or)\b[^.;:!?]{0,40}",
      after=r"\s+(?:and\s+(?:we|they|it|there)|but\s+(?:we|they|it|he|she|i|you|there))"
      r"\s+(?:is|are|was|were|will|would|can|could|should|may|might|must|has|have|had|do"
      r"|does|did)\b",
      note="comma added before 'and' or 'but' that opens a clause with its own subject and"
      " verb ('... and we will'), after six words of a first clause ('Our partners and we"
      " have agreed' is one subject)",
      example="The review was late this year{} but it was approved in May."),
    V("punct.clause_comma", ((",", ""),), mode="before", sources="a",
      before=SENTENCE_START + _CLAUSE_BEFORE, after=r"\s+\w",
      note="comma after a short opening clause ('If you need help, call us')",
      example="Costs rose again last year. If the plan works{} the board will expand it."),
    V("punct.clause_comma_long", ((",", ""),), mode="before", sources="a", style="bold",
      lookbehind=200, before=SENTENCE_START + _CLAUSE_LONG_BEFORE,
      after=r"\s+(?:we|they|he|she|I)\s+[a-z]",
      note="comma after a long opening clause, before a subject that is only ever a subject"
      " ('If the lease talks for the new site slip again, we will ...'): the clause cannot run"
      " on into it",
      example="Costs rose again. If the lease talks for the new northern site slip by more than"
      " a month or so{} we will tell the board."),
    V("punct.clause_comma_time", ((",", ""),), mode="before", sources="a", style="bold",
      lookbehind=200,
      before=SENTENCE_START + _CLAUSE_LONG_OPENER + _WRAPPED + r"{56,156}\b" + _TIME_END,
      not_before=r"(?i:\bthen\b)" + _WRAPPED + r"*",
      after=_SUBJECT_AFTER,
      not_after=r"\s+(?:this|that|each|every|the\s+next|the\s+same|the\s+first|the\s+last"
      r"|next|last|some|all|most)\s+(?:time|times|day|days|week|weeks|month|months|year|years"
      r"|morning|evening|night|way|round)\b",
      note="comma after a long opening clause that ends with a number or a word of time, before"
      " the subject ('If the talks slip by more than six weeks, the savings fall'): a word of"
      " time takes no object, so the clause cannot run on into the subject",
      example="Costs rose again. If the lease talks for the new northern site slip by more than"
      " six weeks{} the savings will fall."),
    V("punct.intro_comma", ((",", ""),), mode="before", sources="a", before=_INTRO_BEFORE,
      not_before=_INTRO_NOT_BEFORE, after=r"\s+\w",
      note="comma after a short opening phrase of time or place ('In March, the ...')",
      example="Costs rose again. In March{} the board agreed to the plan."),
    V("punct.latin", (("e.g.,", "e.g."), ("i.e.,", "i.e.")),
      example="Some costs will rise, {} travel and hotels, next year."),
    V("punct.title", (("Mr", "Mr."), ("Mrs", "Mrs."), ("Ms", "Ms."), ("Dr", "Dr.")),
      exact_case=True, after=r"\s+[A-Z]", note="before a name",
      example="The report was written by {} Smith last week."),
    V("punct.country", (("US", "U.S."), ("UK", "U.K.")), exact_case=True,
      before=r"(?i:\bthe)\s+",
      example="Sales grew fast in the {} market last year."),
    V("punct.ampm", (("a.m.", "am"), ("p.m.", "pm")), before=r"\d\s+",
      example="The board will meet at 10 {} on Monday morning."),
    V("punct.join", tuple((f". {word}", f"; {word}", f" - {word}") for word in _JOIN_OPENERS),
      mode="after", style="bold", lookbehind=260, before=_JOIN_BEFORE,
      written_only=tuple(f" - {word}" for word in _JOIN_OPENERS),
      after=r"\s+[a-z]" + _SENTENCE_REST, not_after=r"\s+said\b",
      note="two statements of a paragraph joined by a semicolon or a dash when the second opens"
      " with a pronoun or a demonstrative ('X. This means' / 'X; this means' / 'X \u2014 this"
      " means'; never a dash in the original); see _JOIN_BEFORE",
      example="The review of the budget is now done{} means costs will fall."),
    V("punct.join_adverb", tuple((f". {word}", f"; {word}") for word in _JOIN_ADVERBS),
      mode="after", style="bold", lookbehind=260, before=_JOIN_BEFORE,
      after=r",\s+[a-z]" + _SENTENCE_REST,
      note="two statements joined by a semicolon before a linking adverb and its comma ('X."
      " However, we' / 'X; however, we')",
      example="The review of the budget is now done{}, the board will wait."),
    V("punct.join_contracted", tuple(
        (f". {full}", f"; {full}", f" - {full}", f". {short}", f"; {short}", f" - {short}")
        for full, short in _JOIN_CONTRACTED), mode="after", style="bold", lookbehind=260,
      written_only=tuple(f" - {form}" for pair in _JOIN_CONTRACTED for form in pair),
      requires="contracted", groups=("contraction",), before=_JOIN_BEFORE,
      after=r"\s+[a-z]" + _SENTENCE_REST, not_after=_NOT_HAS,
      note="a join whose second statement opens with a pronoun and a verb that contracts: six"
      " forms ('X. We will' / 'X; we will' / 'X \u2014 we will' / 'X. We'll' / ...)",
      example="The review of the budget is now done{} ready to cut costs."),
    V("punct.join_have", tuple(
        (f". {full}", f"; {full}", f" - {full}", f". {short}", f"; {short}", f" - {short}")
        for full, short in _CONTRACTED_HAVE), mode="after", style="bold", lookbehind=260,
      written_only=tuple(f" - {form}" for pair in _CONTRACTED_HAVE for form in pair),
      requires="contracted", groups=("contraction",), before=_JOIN_BEFORE,
      after=_PARTICIPLE + _SENTENCE_REST,
      note="a join before a pronoun and 'have' with a past participle, which contracts too",
      example="The review of the budget is now done{} moved the date to May."),
    V("punct.but", ((", but", ". but", " but", " - but"),), mode="after", style="bold",
      lookbehind=260, before=_BUT_BEFORE, after=_BUT_AFTER, written_only=(" - but",),
      note="'but' opening a clause with its own subject, after a comma, a dash, without one, or"
      " as a new sentence ('X, but we' / 'X. But we' / 'X but we' / 'X \u2014 but we')",
      example="The review of the budget is now done{} we will wait for the board."),
    V("punct.and_clause", ((", and", " and", ".", ";"),), mode="after", style="bold",
      lookbehind=260, before=_JOIN_BEFORE, not_before=_CLAUSE_OR_IMPERATIVE,
      after=_CLAUSE_SUBJECT_VERB + _CLAUSE_REST, written_only=(" and", ".", ";"),
      note="', and' before a clause with its own subject and finite verb that ends the"
      " sentence, written with a comma, without one, as a new sentence or after a semicolon"
      " ('X, and the results were good' / 'X and the results' / 'X. The results' / 'X; the"
      " results'); only ', and' in the original, never in a list, after 'both', 'between',"
      " 'if', 'that', a verb of saying or an earlier ', and'; it takes the place of"
      " punct.conjunction_comma in bold copies, and 'and' reads as no word",
      example="The review of the budget was late this year{} the board was not pleased."),
    V("punct.and_clause_stop", ((", and", " and", "."),), mode="after", style="bold",
      lookbehind=260, before=_BUT_BEFORE, not_before=_CLAUSE_OR_IMPERATIVE,
      after=_CLAUSE_SUBJECT_VERB + _CLAUSE_END + r"(?:\s|\Z)", written_only=(" and", "."),
      note="punct.and_clause without the semicolon, where a join may tie the sentence to the"
      " one before or after it ('X. We cut costs, and the savings were good': 'X; we cut"
      " costs; the savings' would chain two semicolons)",
      example="We said so last year. We cut the budget of the region this year{} the board was"
      " pleased."),
    V("punct.so_clause", ((", so", ". so", "; so", " - so"),), mode="after", style="bold",
      lookbehind=260, before=_JOIN_BEFORE, not_before=_CLAUSE_OR_IMPERATIVE,
      after=_SO_SUBJECT_VERB + _CLAUSE_REST, written_only=(" - so",),
      note="'so' meaning 'therefore' before a clause with its own subject and a verb that is"
      " no modal ('X, so we decided' / 'X. So we decided' / 'X; so we decided' / 'X \u2014 so we"
      " decided'); not 'so that', 'so far', nor 'so we can' (a purpose)",
      example="The review of the budget was late this year{} we decided to wait."),
    V("punct.so_clause_stop", ((", so", ". so", " - so"),), mode="after", style="bold",
      lookbehind=260, before=_BUT_BEFORE, not_before=_CLAUSE_OR_IMPERATIVE,
      after=_SO_SUBJECT_VERB + _CLAUSE_END + r"(?:\s|\Z)", written_only=(" - so",),
      note="punct.so_clause without the semicolon, where a join may tie the sentence to the"
      " one before or after it",
      example="We said so last year. We cut the budget of the region this year{} we decided to"
      " wait."),
    V("punct.semicolon_split", ((";", "."),), mode="after", style="bold", sources="a",
      lookbehind=260, before=_JOIN_BEFORE, not_before=_CLAUSE_NOT_BEFORE,
      after=_CLAUSE_SUBJECT_VERB + _CLAUSE_REST,
      note="a semicolon between two statements, written as two sentences, when the second opens"
      " with a subject and a finite verb that punct.join does not cover ('X; both have said' /"
      " 'X. Both have said'; 'X; the board was' / 'X. The board was'); only the semicolon may"
      " be the original (a full stop before 'The' may start any sentence)",
      example="The review of the budget was late this year{} the board was not pleased."),
    # -- numbers
    V("number.small", _NUMBERS, before=r"[a-z,;]\s+",
      not_before=_NOT_NUMBER_LABEL + "|" + _NOT_NUMBER_NAME,
      after=r"(?:\s+|-)[a-z]",
      not_after=r"(?:\s+(?:of|am|pm|a\.m|p\.m|x|kg|km|mm|cm|m|mb|gb|kb|and|or|to|in|on|at|by"
      r"|for|with|from|is|are|was|were|as|if|but|than|then|when|so)|-(?:thirds?|quarters?"
      r"|halves|fifths?|tenths?))\b",
      note="two to twenty and the tens before a noun, not opening a sentence, not a label"
      " ('page 5') or a name ('Windows 10')",
      example="The board has asked for {} new reports this year."),
    V("number.percent", (("%", " percent", " per cent"),), mode="after",
      before=r"\d", not_after=r"[\w%]",
      example="Sales in the region rose 15{} last year."),
    V("number.one", (("a day", "one day"), ("a week", "one week"), ("a month", "one month"),
                     ("a year", "one year"), ("an hour", "one hour")),
      before=r"(?i:\b(?:for|within|in|after|than|least|about|over|only|just|nearly|almost"
      r"|around|under))\s+", not_after=r"['\u2019]|\s+(?:or|and|to|of)\b",
      note="'a' or 'one' before a unit of time, after a preposition ('within a week')",
      example="The board will review the plan for {} before it decides."),
    V("number.about", (("about", "around", "approximately", "roughly"),),
      after=_NUMBER_AFTER + r"|\s+(?:half|a\s+(?:third|quarter|fifth|tenth)\s+of)\b",
      note="only before a number, 'half' or 'a third of'",
      example="The new plan will affect {} 40 people in total."),
    V("number.nearly", (("nearly", "almost"),),
      after=_NUMBER_AFTER + r"|\s+(?:all|every|half|twice|double|a\s+(?:third|quarter|fifth|tenth)"
      r"|" + "|".join(word for _, word in _NUMBERS) + r")\b",
      example="The new plan will affect {} 40 people in total."),
    V("number.over", (("more than", "over"), ("less than", "under"), ("fewer than", "under"),
                       ("at least", "a minimum of")), sources="a",
      after=_NUMBER_AFTER + "|" + _SPELLED_AFTER,
      not_before=_NOT_COMPARED + r"|(?i:\b(?:are|were|of|since|until|till))\s+",
      not_after=r"\s+(?:0|zero)\b(?![.,]\d)|\s+\S+\s+\S+\s+(?:long|wide|old|high|deep|tall)\b",
      note="'more than', 'less than', 'fewer than', 'at least' before a number of at most three"
      " digits (not a year) or a spelled one ('more than six weeks'); not after 'no', 'not',"
      " 'far', 'much', ... ('no more than 5' is no 'no over 5'); not after 'are', 'were' ('there"
      " are at least three' hedges, 'a minimum of' would not), 'of' ('a value of a minimum of"
      " 4') or 'since' ('since at least 2008'), nor before zero ('less than 0' is no 'under 0')"
      " or a measure ('at least 4 bytes long' is no 'a minimum of 4 bytes long')",
      example="The new plan will affect {} 40 people in total."),
    V("number.over_back", (("more than", "over"), ("less than", "under"),
                           ("at least", "a minimum of")), sources="b",
      before=_OVER_BEFORE, after=_NUMBER_AFTER,
      note="'over', 'under' and 'a minimum of' as the original, before a number of at most three"
      " digits and only after a preposition, a copula or 'and' ('in over 50 commits', 'is under"
      " 18'): after a verb 'over' may be a particle or mean 'during' ('took over 3 firms',"
      " 'spread over 3 years', 'go over 80 columns')",
      example="The new plan will affect a team of {} 40 people in total."),
    V("number.clock", ((".", ":"),), mode="after", style="bold", before=_HOUR_BEFORE,
      after=r"[0-5]\d\s*(?:a\.m\.|p\.m\.|am|pm)(?!\w)",
      note="hours and minutes before 'a.m.' or 'p.m.': '8.30 a.m.' (British) / '8:30 a.m.'",
      example="The board will meet at 8{}30 a.m. on Monday morning."),
    V("number.clock_hour", (("", ":00"),), mode="after", style="bold", before=_HOUR_BEFORE,
      not_before=r"(?:[-\u2013/]\s*|\b(?i:to|and|or|through)\s+)\d{1,2}",
      after=r"\s+(?:a\.m\.|p\.m\.|am|pm)(?!\w)",
      note="a whole hour before 'a.m.' or 'p.m.': '4 p.m.' / '4:00 p.m.'; not closing a range"
      " ('9 to 5 p.m.', '4-5 p.m.'); ':00' reads as no word",
      example="The board will meet at 4{} p.m. on Monday afternoon."),
    V("number.change", (("rose", "increased"), ("fell", "dropped", "declined", "decreased")),
      before=r"[\w%)]\s+", not_after=_CHANGE_OF,
      not_before=_NOT_CHANGE_BEFORE + "|" + _NOT_CHANGE_PAST, after=_CHANGE_AFTER,
      note="a verb of change in the past tense before the size of the change ('revenue rose"
      " 8%', 'margin fell from 38% to 33%' / 'increased', 'dropped', 'declined', 'decreased');"
      " never a noun ('the fall to 3%'), a participle ('has fell') nor after a pronoun ('we"
      " increased 5 ...' may take an object)",
      example="Sales in the region {} 15% last year, and the board was pleased."),
    V("number.grew", (("rose", "grew"),), sources="b", before=r"[\w%)]\s+",
      not_before=_NOT_CHANGE_BEFORE + "|" + _NOT_CHANGE_PAST, after=_CHANGE_AFTER,
      not_after=_CHANGE_OF,
      note="'grew' -> 'rose' before the size of the change ('revenue grew 8%'); 'rose' is"
      " never rewritten 'grew' ('prices grew' reads oddly)",
      example="Sales in the region {} 15% last year, and the board was pleased."),
    V("number.change_now", (("rise", "increase"), ("rises", "increases"),
                             ("rising", "increasing"), ("fall", "drop", "decline", "decrease"),
                             ("falls", "drops", "declines", "decreases"),
                             ("falling", "dropping", "declining", "decreasing")),
      before=r"[\w%)]\s+", not_after=_CHANGE_OF,
      not_before=_NOT_CHANGE_BEFORE, after=_CHANGE_AFTER,
      note="a verb of change before the size of the change ('prices will rise 6%' / 'will"
      " increase 6%', 'costs are falling by 2%' / 'declining'); never a noun ('a rise of 5%',"
      " 'a sharp fall to 3%')",
      example="The board expects that sales will {} 15% next year in the region."),
    V("number.per", (("per year", "a year"), ("per month", "a month"), ("per week", "a week"),
                     ("per day", "a day"), ("per hour", "an hour")),
      before=r"(?:\d|%|\b(?:million|billion|thousand|hundred|percent|cent|times|dollars|euros"
      r"|pounds|hours|minutes|days|weeks))\s+",
      example="The new plan will cost us 400 {} at most."),
    # -- phrases: set expressions with the same meaning
    V("phrase.example", (("for example", "for instance"),),
      example="Some costs will rise next year, {}, travel and hotels."),
    V("phrase.despite", (("in spite of", "despite"),),
      example="The team went ahead {} the wider market turmoil."),
    V("phrase.prior", (("prior to", "before"),), sources="a",
      example="Please read the report {} the board meeting."),
    V("phrase.in_order", (("in order to", "to"), ("so as to", "to")), sources="a",
      example="The team worked late {} finish the report."),
    V("phrase.because", (("due to the fact that", "because"),
                         ("owing to the fact that", "since")), sources="a",
      example="The team worked late {} the report was late."),
    V("phrase.although", (("despite the fact that", "although"),), sources="a",
      example="The team worked late {} the report was late."),
    V("phrase.if", (("in the event that", "if"),), sources="a",
      example="Please call the office {} the meeting moves."),
    V("phrase.regarding", (("with regard to", "regarding"),), sources="a",
      example="Please send your questions {} the new budget."),
    V("phrase.concerning", (("regarding", "concerning"),), sources="a", after=_DETERMINER,
      example="Please send your questions {} the new budget."),
    V("phrase.can", (("is able to", "can"), ("are able to", "can")), sources="a",
      example="We think that the team {} finish the report."),
    V("phrase.many", (("a large number of", "many"),), sources="a",
      example="The report shows that {} people left."),
    V("phrase.soon", (("in the near future", "soon"),), sources="a",
      example="The board will decide on the plan {}. It meets again in May."),
    V("phrase.basis", (("on a daily basis", "daily"), ("on a weekly basis", "weekly"),
                       ("on a monthly basis", "monthly"), ("on a regular basis", "regularly")),
      sources="a",
      example="The team reviews the figures {} with the board."),
    V("phrase.now", (("at this point in time", "now"), ("at the present time", "now")),
      sources="a",
      example="The board has no plans to move {}. It meets again in May."),
    V("phrase.until", (("until such time as", "until"),), sources="a",
      example="The plan is on hold {} the board decides."),
    V("phrase.during", (("in the course of", "during"),), sources="a",
      example="The board raised it {} the review."),
    V("phrase.whether", (("whether or not", "whether"),), sources="a", after=r"\s+\w",
      example="The board will decide {} the plan goes ahead."),
    V("phrase.though", (("although", "though"),), sources="a",
      not_before=r"(?i:\b(?:even|as))\s+", after=r"\s+\w",
      example="The plan went ahead {} costs rose."),
    V("phrase.each_other", (("each other", "one another"),),
      example="The two teams will support {} this year."),
    V("phrase.all_of", (("all of", "all"), ("both of", "both"), ("half of", "half"),
                        ("outside of", "outside")), after=_DETERMINER,
      example="The board asked for {} the reports by Friday."),
    V("phrase.majority", (("the majority of", "most of"),), after=_DETERMINER,
      example="The board has heard that {} the staff agree."),
    V("phrase.upon", _family("based depend depends depending rely relies relied relying"
                             " focused focusing", "", " on", " upon"),
      example="The new budget for the year is {} the plan."),
    V("phrase.begin", (("begin", "start"), ("begins", "starts"), ("began", "started"),
                       ("beginning", "starting")),
      not_before=r"(?i:\b(?:has|have|had|having|been|be|being|is|are|was|were|get|got|a|the"
      r"|fresh|head|false|early|late|good|strong))\s+",
      after=r"\s+(?:on|in|at|to|with|by|next|this|from|immediately|shortly|soon|today"
      r"|tomorrow|again|now|when|once|after|before)\b",
      note="only before a preposition or time word, never a past participle",
      example="The review of the plan will {} on Monday, as agreed."),
    V("phrase.ensure", (("ensure", "make sure"), ("ensures", "makes sure"),
                        ("ensured", "made sure"), ("ensuring", "making sure")),
      after=r"\s+that\b", note="only before 'that'",
      example="The board asked us to {} that costs fall."),
    V("phrase.along", (("along with", "together with"), ("apart from", "aside from"),
                       ("in line with", "in keeping with"), ("because of", "owing to")),
      not_before=r"(?i:\b(?:go|goes|went|gone|going|get|gets|got|getting|play|plays|played"
      r"|playing|sing|sings|sang|singing|come|comes|came|coming|tag|tags|tagged|string"
      r"|strung))\s+",
      note="not after a verb that takes 'along with' ('went along with the plan' agrees to"
      " it, 'get along with' is to be friends)",
      example="The board sent the plan {} the budget."),
    V("phrase.lots", (("a lot of", "lots of"), ("kind of", "sort of")),
      example="The board has seen {} reports this year."),
    V("phrase.lets", (("allows you to", "lets you"), ("allow you to", "let you"),
                      ("allowing you to", "letting you"), ("allows us to", "lets us"),
                      ("allow us to", "let us")),
      example="The new tool in the suite {} see the plan."),
    # -- business prose (sixth round): nouns of change, 'in addition to', 'slightly' before a
    # comparative; greetings and sign-offs of a memo or a mail (bold)
    V("number.change_noun", (("a rise", "an increase"),
                             ("a fall", "a drop", "a decline", "a decrease")),
      written_only=("a fall", "a drop"), after=_CHANGE_NOUN_AFTER,
      note="a noun of change after 'a' or 'an', before 'in' and what changes or 'of' and its"
      " size ('an increase in costs' / 'a rise in costs', 'a decrease of 5%' / 'a decline of"
      " 5%' / 'a fall of 5%' / 'a drop of 5%'); 'a fall' and 'a drop' are never taken from an"
      " original ('a fall in the garden', 'a drop in the ocean')",
      example="The board expects {} in sales next year in the region."),
    V("number.change_noun_det", (("rise", "increase"), ("fall", "drop", "decline", "decrease")),
      written_only=("fall", "drop"), before=_CHANGE_NOUN_BEFORE,
      not_before=r"(?i:\b(?:on|in)\s+the)\s+", after=_CHANGE_NOUN_AFTER,
      note="the same nouns after a determiner or an adjective of size or kind ('the increase in"
      " costs' / 'the rise in costs', 'an average increase of 6%' / 'an average rise of 6%',"
      " 'a price increase of 4%'); not 'on the decline' (an idiom: no 'on the fall')",
      example="The board expects a sharp {} in sales next year in the region."),
    V("phrase.in_addition_to", (("in addition to", "as well as"),), sources="a",
      after=r"\s+[a-z]",
      note="'in addition to' -> 'as well as' ('in addition to the review' / 'as well as the"
      " review'); 'as well as' is never the original ('works as well as the old one')",
      example="The board will read the budget {} the plan this year."),
    V("phrase.slightly", (("slightly", "a little"),),
      not_before=r"(?i:\b(?:a|an|the|this|that|these|those|its|their|our|your|his|her|my|some"
      r"|any|only|just|very|quite|but|even|in|for|by|at|of))\s+",
      after=r"\s+(?:more|less|fewer|higher|lower|larger|smaller|longer|shorter|earlier|later"
      r"|faster|slower|better|worse|greater|cheaper|wider|narrower|stronger|weaker|easier"
      r"|harder|above|below|ahead|behind)(?:\s*[.,;:)]|\s+(?:than|in|on|at|by|for|to|from|this"
      r"|next|last|over|because|and|or|but|if|when|as|after|before|with|now|today|again"
      r"|overall|per|a|an)\b)",
      note="'slightly' / 'a little' before a comparative that ends the phrase ('costs were"
      " slightly higher than planned' / 'a little higher'); never after a determiner or 'in'"
      " ('a slightly larger room' has no 'a a little larger'), nor before a noun ('slightly"
      " higher costs')",
      example="The board said costs were {} higher than planned this year."),
    V("phrase.sign_off", (("kind regards", "best regards", "regards"),), style="bold",
      before=r"(?:\A|\n)[ \t]*", after=r"[ \t]*,?[ \t]*(?:\n|\Z)",
      note="the sign-off of a letter, a memo or a mail, alone on its line ('Kind regards,' /"
      " 'Best regards,' / 'Regards,'); bold, a copy's sign-off visibly changes",
      example="Please send us your comments on the plan.\n\n{},\nThe programme office"),
    V("phrase.greeting", (("hello all", "hello everyone", "hi all", "hi everyone", "dear all"),),
      style="bold", before=r"(?:\A|\n)[ \t]*", after=r"[ \t]*[,:!]?[ \t]*(?:\n|\Z)",
      note="the greeting of a memo or a mail to a group, alone on its line ('Dear all,' /"
      " 'Hello all,' / 'Hello everyone,' / 'Hi all,' / 'Hi everyone,'); bold, a copy's greeting"
      " visibly changes",
      example="To: all staff\nFrom: the programme office\n\n{},\n\nThe board has approved the"
      " plan."),
    V("phrase.such_as", (("such as", "like"),), sources="a", after=r"\s+[\w\"'(]",
      example="The board reviews costs {} travel and hotels."),
    V("phrase.etc", (("etc.", "and so on."), ("etc.,", "and so on,")),
      example="The board reviews travel, hotels, meals, {} every year."),
    V("phrase.nonetheless", (("nonetheless", "nevertheless"),),
      example="The review was late and {} the board approved it."),
    V("phrase.too", (("as well", "too"),), not_before=r"(?i:\b(?:might|may"
      r"|could|just))\s+", after=r"[.,;!?]", note="at the end of a clause",
      example="The board approved the new plan {}. It meets again in May."),
    V("phrase.help_to", (("help to", "help"), ("helps to", "helps"), ("helped to", "helped"),
                         ("helping to", "helping")), sources="a", after=r"\s+[a-z]",
      not_after=_DETERMINER, note="'help to improve' / 'help improve'",
      example="The new plan should {} cut costs this year."),
    V("phrase.intend", (("plan to", "intend to"), ("plans to", "intends to"),
                        ("planned to", "intended to")), not_before=_NOUN_BEFORE,
      after=r"\s+[a-z]", not_after=_DETERMINER,
      example="The board said that we {} cut costs this year."),
    V("phrase.handle", (("deal with", "handle"), ("deals with", "handles"),
                        ("dealt with", "handled"), ("dealing with", "handling")),
      not_before=_NOUN_BEFORE, after=_DETERMINER,
      example="The finance team will {} the budget next week."),
    V("phrase.look_into", (("look into", "investigate"), ("looks into", "investigates"),
                           ("looked into", "investigated"), ("looking into", "investigating")),
      after=_DETERMINER,
      example="The finance team will {} the budget next week."),
    V("phrase.following", (("following", "after"),), sources="a", before=SENTENCE_START,
      after=r"\s+(?i:the|this|these|that|our|its|their|a|an|last)\b",
      example="Costs rose again last year. {} the review, the board agreed to act."),
    V("phrase.that", tuple((f"{verb} that", verb) for verb in _split(_CLAUSE_VERBS)),
      sources="a", after=_DETERMINER + r"|\s+\d",
      note="'that' after a verb of saying or knowing, or an adjective of belief ('confident')",
      example="The board has {} the plan works well."),
    V("phrase.that_clause", tuple((f"{verb} that", verb) for verb in _split(_CLAUSE_VERBS)),
      sources="b", after=_CLAUSE_SUBJECT,
      note="'that' added after a verb of saying or knowing, only before a pronoun and a"
      " finite verb ('we think it is', 'said they will'): a clause, never an object",
      example="The board has {} it will review the plan."),
    V("phrase.relative_which", ((" that", " which", ""),), mode="before", style="bold",
      written_only=("",), before=_RELATIVE_WHICH_BEFORE, not_before=_TOLD_BEFORE,
      after=r"\s+(?i:" + "|".join(_PRONOUNS + _THAT_DET) + r")\b",
      note="a restrictive relative clause after a listed noun that is not a person, a time,"
      " 'way' or a noun of a content clause, before its subject: 'the figures that we sent'"
      " / 'the figures which we sent' / 'the figures we sent' (never a comma before 'which':"
      " that clause is not restrictive); before phrase.relative_that, which it replaces in the"
      " bold style",
      example="The board read the figures{} we sent last week."),
    V("phrase.which_subject", tuple((f"that {aux}", f"which {aux}") for aux in _AUXILIARIES),
      style="bold", before=_SUBJECT_RELATIVE_BEFORE, exact_case=True,
      note="a subject relative pronoun after a determiner and a noun, before an auxiliary"
      " ('an upgrade that has not' / 'an upgrade which has not'): never after a comma, nor"
      " after a word that may name a person",
      example="The board said the upgrade {} been planned will go ahead."),
    V("phrase.relative_that", ((" that", ""),), mode="before", sources="a",
      before=_RELATIVE_BEFORE, not_before=r"(?i:\b(?:a|an)\s+ways?)",
      after=r"\s+(?i:" + "|".join(_PRONOUNS + _THAT_DET) + r")\b",
      note="'that' opening a relative clause after a listed noun, before its subject ('the"
      " plan that we agreed', 'the report that the team wrote'); 'that' reads as no word",
      example="The board read the plan{} we agreed last week."),
    V("phrase.relative_that_add", ((" that", ""),), mode="before", sources="b",
      before=_RELATIVE_BEFORE_ADD, not_before=r"(?i:\b(?:a|an)\s+ways?)",
      after=r"\s+(?:we|they|you|he|she|I)\s+[a-z]",
      note="'that' added before a relative clause after a listed noun (not one of time:"
      " 'every day we meet' is not 'every day that we meet') and before its pronoun subject",
      example="The board read the plan{} we agreed last week."),
    V("phrase.past", (("over the past", "in the past", "during the past", "over the last",
                       "in the last", "during the last"),), after=_SPAN_AFTER,
      note="before a span of time that ends now ('over the past twelve months'); not 'of' after"
      " it ('in the last week of March' is its end)",
      example="The board has met often {} two years, and it will again."),
    V("phrase.next", (("over the next", "in the next", "during the next"),), after=_SPAN_AFTER,
      note="before a span of time that starts now ('over the next two months'); not 'of' after"
      " it",
      example="The board will meet often {} two years, and it will report."),
    V("phrase.by", (("by", "no later than"),), before=r"[a-z,]\s+",
      after=r"\s+(?:(?:" + "|".join(WEEKDAYS) + r")(?![\w'\u2019]|\s+[A-Z])"
      r"|(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:" + "|".join(MONTHS) + r")\b(?![\w'\u2019]|\s+[A-Z]))",
      note="a deadline: 'by' before a day or a date ('by Friday', 'by 12 January'), never"
      " opening a sentence ('By March, costs had doubled') nor before a name ('by Monday's"
      " meeting')",
      example="Please send your comments on the plan {} Friday so we can review them."),
    V("phrase.so_that", (("so that", "so"),), sources="a", after=r"\s+[a-z]",
      not_after=r"\s+(?:is|was|are|were|will|would|has|had|means|makes|made|can|could)\b",
      note="'so that' opening a clause of purpose; not 'that' as its subject ('so that is')",
      example="Please send the report early {} the board can read it."),
    V("phrase.expected", (("than expected", "than anticipated"),
                          ("as expected", "as anticipated")), style="bold",
      not_after=r"\s+by\b", note="not before 'by' ('in the format expected by the tool')",
      example="Costs rose more slowly {} this year, and the board was pleased."),
    V("phrase.fraction", (("a third of", "one third of"), ("a quarter of", "one quarter of"),
                          ("a fifth of", "one fifth of"), ("a tenth of", "one tenth of")),
      example="The new plan will affect {} the staff in total."),
    V("phrase.instead", (("rather than", "instead of"),), after=_NOUN_AFTER,
      note="only before a noun phrase ('rather than relocate' stays)",
      example="The board chose the cheaper site {} the new one."),
    V("phrase.decide", (("make a decision", "decide"), ("makes a decision", "decides"),
                        ("made a decision", "decided"), ("making a decision", "deciding")),
      sources="a",
      not_after=r"\s*[,;:]|\s+(?i:that|which|who|whom|whose|where|when)\b",
      example="The board will {} on the plan in May."),
    V("phrase.to_date", (("to date", "so far"),), sources="a", not_before=r"(?i:\bup)\s+",
      example="The board has spent 40% of the budget {} this year."),
    V("phrase.ahead", (("in advance of", "ahead of"),), sources="a",
      example="Please read the report {} the board meeting."),
    V("phrase.opening", (("furthermore", "moreover", "in addition", "additionally"),
                         ("finally", "lastly"), ("first", "firstly"), ("second", "secondly"),
                         ("third", "thirdly"), ("currently", "at present", "at the moment"),
                         ("as a result", "consequently", "as a consequence"),
                         ("that said", "having said that"),
                         ("in summary", "in short", "in brief", "to sum up"),
                         ("in the meantime", "meanwhile"), ("going forward", "from now on"),
                         ("similarly", "likewise"), ("in general", "generally"),
                         ("by contrast", "in contrast"),
                         ("for now", "for the moment", "for the time being")),
      before=SENTENCE_START, after=",", note="sentence adverbs, opening a sentence",
      example="Costs rose again last year. {}, the board agreed to act."),
    V("phrase.opening_bold", (("overall", "on the whole"), ("unfortunately", "regrettably")),
      style="bold", before=SENTENCE_START, after=",",
      note="sentence adverbs, opening a sentence, where the other form shifts the register",
      example="Costs rose again last year. {}, the board agreed to act."),
    V("phrase.whether_if", (("whether", "if"),), sources="a", style="bold",
      before=r"(?i:\b(?:ask|asks|asked|asking|know|knows|knew|known|see|check|checks|checked"
      r"|checking|decide|decides|decided|deciding|determine|determines|determined|confirm"
      r"|confirms|confirmed|wonder|wonders|wondered|sure|unsure|unclear|clear|doubt|tell"
      r"|consider|considering|considered|verify|verified|assess|assessing|evaluate|evaluating"
      r"|review|reviewing|establish|investigate|investigating|question))\s+",
      after=_CLAUSE_AFTER, not_after=r"[^.;:!?]{0,160}\bor\s+not\b",
      note="'whether' -> 'if' after a verb of asking, knowing or deciding and before a clause's"
      " subject ('ask whether the plan works'); not before 'to' ('decide whether to'), nor"
      " with 'or not'; 'if' is never the original (it may be a condition)",
      example="The board will ask {} the plan works well this year."),
    V("phrase.coming", tuple(
        (f"the coming {unit}", f"the {unit} ahead")
        for unit in _split("days week weeks month months year years quarter quarters")),
      example="The board will decide on the plan in {} and report back."),
    V("phrase.needed", (("as necessary", "as needed"), ("if necessary", "if needed")),
      after=r"\s*[.,;:!?)]", note="only at the end of a clause",
      example="The board will review the plan again {}. It meets in May."),
    V("phrase.beforehand", (("in advance", "beforehand"),), after=r"\s*[.,;:!?)]",
      note="only at the end of a clause ('in advance of' is phrase.ahead)",
      example="Please read the whole report {}. The board meets in May."),
    V("phrase.versus", (("versus", "vs."),),
      example="The board compared the cost of renting {} buying last year."),
    V("phrase.may", (("may be", "might be"),), sources="a", exact_case=True,
      before=_MAY_BEFORE, after=_MAY_BE_AFTER,
      note="epistemic 'may' before 'be' and an adjective or the participle of something that"
      " befalls ('the record may be lost' / 'might be lost', 'costs may be higher'); never"
      " permission ('may be used', 'you may leave'), never opening a sentence ('May I') and"
      " never 'might' as the original ('if we had moved, it might be' is no 'may')",
      example="The board said that costs {} higher this year and next."),
    V("phrase.may_not", (("may not be", "might not be"),), sources="a", exact_case=True,
      before=_MAY_BEFORE, after=_MAY_NOT_AFTER,
      not_before=r"(?i:\bmay\s+(?:or|and))\s+",
      note="'may not be' before an adjective of fact ('may not be available'); never a"
      " participle ('may not be copied' forbids), nor after 'may or' ('may or might not be' breaks"
      " the pair)",
      example="The board said that the site {} available until next week."),
    V("phrase.may_have", (("may have", "might have"),), sources="a", exact_case=True,
      before=_MAY_BEFORE, after=_PARTICIPLE,
      note="'may have' before a past participle ('some records may have been lost'); 'might"
      " have' is never the original (in a counterfactual it is no 'may have')",
      example="The board said that some records {} been lost in May."),
    V("phrase.staff", (("members of staff", "staff members"), ("member of staff", "staff member")),
      before=_STAFF_BEFORE, not_after=r"['\u2019]",
      note="after a determiner, a number or a quantifier ('two members of staff' / 'two staff"
      " members'; not 'IT staff members'), never a possessive ('staff members' pay')",
      example="The board asked two {} to review the plan."),
    V("phrase.cases", tuple(
        (f"in {word} cases", f"in {word} instances")
        for word in _split("most some many such certain all both these rare")),
      after=r"\s*[,.;:)]|\s+(?:the|we|it|this|they|you|a|an|there|our|their|its)\b",
      not_after=r"\s+of\b",
      note="'in most cases' / 'in most instances' before a stop or a clause's subject; not"
      " 'in some cases of fraud'",
      example="Costs rose again last year. {}, the board agreed to act."),
    V("phrase.number_of", (("a number of", "several"),), sources="a", style="bold",
      not_before=r"(?i:\b(?:quite|such|only|just|equal\s+to|is|be|was|as|specif(?:y|ies|ied)"
      r"|gives?|returns?|holds?|stores?|sets?|takes?|accepts?|expects?|counts?))\s+",
      after=r"\s+(?!(?:the|a|an|our|their|its|this|these|those|your|his|her|my|them|us|you|it"
      r"|which|whom)\b)[a-z]",
      not_after=r"\s+(?:type|types|form|forms|kind|sort|bytes?|bits?|digits?|seconds?"
      r"|milliseconds?|minutes?|hours?|days?|characters?|lines?|elements?|items?|arguments?"
      r"|columns?|rows?|entries|bytes|times|spaces|words|fields?)\b",
      note="'a number of' before a plural noun -> 'several' ('a number of changes'); never"
      " 'quite a number of', 'a number of the', nor a count given elsewhere ('a number of"
      " bytes', 'is a number of'); 'several' is never the original ('several of them')",
      example="The board has made {} changes to the plan this year."),
    V("phrase.on_day", tuple((f"on {day.lower()}", day.lower()) for day in WEEKDAYS),
      sources="a", style="bold", before=_ON_DAY_BEFORE,
      not_after=r"['\u2019]|\s*[-\u2013/]",
      note="'on Thursday' -> 'Thursday' (American) after a verb or noun of an event ('a call"
      " on Thursday', 'meets on Monday'); never after a verb that takes 'on' ('insist on"
      " Monday', 'depends on Friday') nor before a possessive",
      example="The board will hold a short call {} to go through the plan."),
    # -- synonyms: one-word swaps, only in the contexts given
    V("synonym.main", (("main", "principal", "primary"),), before=_MAIN_BEFORE,
      after=_MAIN_NOUNS,
      note="'main', 'principal' or 'primary' before a noun of reason, risk, aim or problem ('the"
      " main risk'); never 'primary school', 'primary key', 'primary source' (before"
      " synonym.current, which keeps 'main' -> 'principal' before other nouns)",
      example="The board said that the {} risk is timing this year."),
    V("synonym.required", (("required", "needed"),), style="bold",
      before=r"(?i:\b(?:is|are|was|were|be|been|being|not|also|still|longer|all|what|where"
      r"|when|if|as))\s+",
      after=r"\s*[.,;:)]|\s+(?:for|before|from|in|at|on|if|when|unless|until|here|now|again"
      r"|anymore|any\s+more)\b",
      note="a participle after a copula, before a stop or a preposition ('approval is required"
      " from finance' / 'is needed from finance'); never before 'to' ('are required to attend'"
      " is an obligation) or 'by' ('required by law'); bold, as a contract's 'required' is"
      " firmer than 'needed'",
      example="The board said that a new review is {} for the plan."),
    V("synonym.largest", (("largest", "biggest"), ("larger", "bigger")), sources="a",
      style="bold", before=_LARGE_BEFORE, after=r"\s+[a-z]", not_after=_NOT_LARGE_AFTER,
      note="'largest' -> 'biggest' and 'larger' -> 'bigger' after a determiner or 'much', 'far',"
      " before a word; not before a noun of quantity ('a larger number', 'to a larger extent');"
      " 'big' is never the original ('a big decision' is no 'large decision')",
      example="The board said that our {} customers will see no change."),
    V("synonym.immediately", (("immediately", "without delay", "right away"),),
      style="bold", written_only=("without delay", "right away"), before=r"[a-z]\s+",
      not_before=r"(?i:\b(?:almost|nearly|not|effective|more|less|very|so|too|quite|and|or"
      r"|but|is|are|was|were|be|follows?|followed|following|precedes?|preceded|preceding"
      r"|comes?|came|appears?|appeared|below|above|next|after|before))\s+",
      after=r"\s*[.;!,]",
      note="'immediately' at the end of a clause, after its verb or object ('contact the"
      " office immediately.'); never before 'after' or an adjective, nor 'effective"
      " immediately' or of place ('the list that follows immediately'); the other forms are"
      " never taken from an original; never 'at once', which after a plural may mean 'all"
      " together' ('create new files at once', 'purge them at once')",
      example="If you see a problem, please contact the office {}. It is open today."),
    V("synonym.essential", (("essential", "vital"),), style="bold",
      before=r"(?i:\b(?:is|are|was|were|be|been|being|remains?|remained|seems?|seemed|also"
      r"|therefore|thus|absolutely|equally))\s+",
      after=r"\s+(?:for|to|that)\b",
      note="predicative, after a copula and before 'for', 'to' or 'that' ('which is essential"
      " for the clinics' / 'vital for'); never before a noun ('essential oils', 'vital signs')",
      example="The board said the new system is {} for the larger clinics."),
    V("synonym.properly", (("properly", "correctly"),), style="bold", before=r"[a-z]\s+",
      after=r"\s*[.,;:)]|\s+(?:on|in|with|when|if|for|and|or|after|again|now|under|before)\b",
      note="after its verb, at the end of the verb phrase ('does not close properly.' / 'does"
      " not close correctly.'); 'properly' may also mean 'thoroughly' ('properly trained'),"
      " hence bold",
      example="The board said that the new tool does not work {} on Mondays."),
    V("synonym.therefore", (("therefore", "thus"),), sources="a", style="bold",
      note="'therefore' -> 'thus' (logical); 'thus' is never the original (it may mean 'in this"
      " way')",
      example="The costs rose again and we {} cut travel this year."),
    V("synonym.noon", (("noon", "midday"),), before=r"(?i:\b(?:at|by|until|till|before|after"
      r"|from|around|about|to|and|12))\s+", not_after=r"[-\w]|\s+(?:sun|meal|break)\b",
      note="the time of day, after a preposition ('by noon' / 'by midday')",
      example="Please send your comments by {} on Friday so that we can read them."),
    V("synonym.often", (("often", "frequently"), ("usually", "normally", "typically"),
                        ("perhaps", "maybe", "possibly"), ("especially", "particularly"),
                        ("mainly", "largely", "mostly", "primarily"),
                        ("completely", "entirely")),
      example="The board meets {} to review the plan."),
    V("synonym.whole", (("entire", "whole"),), before=_OWNER_BEFORE,
      example="The board asked the {} team to review it."),
    V("synonym.current", (("current", "present"), ("previous", "prior"),
                          ("main", "principal")), sources="a", before=_OWNER_BEFORE,
      after=r"\s+(?!of\b)[a-z]",
      example="The board asked that the {} plan be reviewed."),
    V("synonym.further", (("additional", "further"),), sources="a", after=r"\s+[a-z]",
      not_before=r"(?i:\ban)\s+", note="not after 'an' ('an additional review')",
      example="The board asked for {} reports this year."),
    V("synonym.allow", (("allow", "permit"), ("allows", "permits"), ("allowed", "permitted"),
                        ("allowing", "permitting")), sources="a", not_after=r"\s+for\b",
      example="The new budget will {} staff to be hired."),
    V("synonym.buy", (("buy", "purchase"), ("buys", "purchases"), ("bought", "purchased"),
                      ("buying", "purchasing")), sources="a", after=_DETERMINER,
      example="The board will {} the new building next year."),
    V("synonym.need", (("need", "require"), ("needs", "requires")), sources="a",
      not_before=_NOUN_BEFORE, after=_DETERMINER,
      example="The new plan will {} a review next year."),
    V("synonym.seem", (("seem", "appear"), ("seems", "appears"), ("seemed", "appeared"),
                       ("seeming", "appearing")),
      after=r"\s+(?:to\s+(?:be|have)|that)\b", note="only before 'to be', 'to have' or 'that'",
      example="The new plan does {} to be working well this year."),
    V("synonym.every", (("each", "every"),), sources="a",
      before=SENTENCE_START + r"|(?i:\b(?:for|in|of|to|with|from|on|at|by|after|before|during"
      r"|within|across|per|under|over|into|through|throughout))\s+",
      after=r"\s+(?!(?:other|of|and|or|has|have|had|is|are|was|were|will|would|can|could"
      r"|should|may|might|must|does|did|needs|gets|takes)\b)[a-z]",
      note="'each' as a determiner after a preposition or opening a sentence ('for each site'"
      " / 'for every site'); not 'each of', 'each other', nor 'each' as a pronoun ('Each has')"
      " or after its noun ('they each have', '$5 each')",
      example="The board will review the plan for {} site this year."),
    V("synonym.anyone", (("anyone", "anybody"), ("everyone", "everybody"),
                         ("someone", "somebody")), not_before=r"(?i:\b(?:a|an|the))\s+",
      exact_case=True,
      note="indefinite pronouns, in lower case (a capital mid-sentence may name a group,"
      " 'Everyone'); not as a noun ('a somebody')",
      example="The board will send the plan to {} who asks for it."),
    V("synonym.nobody", (("no one", "nobody"),), sources="b", exact_case=True,
      after=r"\s+(?:is|was|has|had|will|would|can|could|should|may|might|must|does|did|else"
      r"|[a-z]+s|[a-z]+ed)\b",
      note="'nobody' -> 'no one' only ('no one' may be a determiner: 'no one solution fits'),"
      " in lower case and before a verb (a user name: 'run as nobody')",
      example="The board said that {} asked for the plan this year."),
    V("synonym.should", (("should", "ought to"),), style="bold", before=r"[a-z0-9)]\s+",
      not_before=r"(?i:\b(?:if|lest|unless|case)\b)[^,.;:!?]{0,80}",
      after=r"\s+(?!(?:not|never|we|they|i|you|he|she|it|the|this|that|these|those|our|their"
      r"|its|your|his|her|my|there|a|an|any|all|one|like|love|think|imagine|say|hope|prefer"
      r"|be\s+(?:glad|grateful|happy|pleased|delighted|honou?red|obliged))\b)[a-z]",
      note="'should' of duty or expectation before its verb ('we should review' / 'we ought"
      " to review'); never opening a sentence or after 'if' ('Should you', 'if it should"
      " rain'), before a subject ('what should we do'), 'not' ('ought not to') or a verb of"
      " politeness ('I should like')",
      example="The board said that the team {} review the plan this year."),
    V("synonym.use", (("use", "utilize"), ("uses", "utilizes"), ("used", "utilized"),
                      ("using", "utilizing")), style="bold",
      not_before=r"(?i:\b(?:in|of|for|no|any|the|a|an|its|their|our|your|his|her|my|this|that"
      r"|make|makes|made|making|put|fair|much|little|wide|widespread|common|heavy|daily|regular"
      r"|frequent|first|some|many|other|different|several|possible|new|personal|internal"
      r"|commercial|general|public|ready|easy|intended|best|good|main|primary|end))\s+",
      after=_NOUN_AFTER,
      note="the verb before its object ('we use the tool' / 'we utilize the tool'); not the"
      " noun ('for internal use', 'the uses') nor 'used to'",
      example="The finance team will {} the new tool for the budget."),
    V("synonym.want", (("want to", "wish to"), ("wants to", "wishes to"),
                       ("wanted to", "wished to"), ("wanting to", "wishing to")), style="bold",
      not_before=_NOUN_BEFORE + r"|(?i:\b(?:his|her|my|your|best|good|warm|warmest|kind"
      r"|kindest|strong|shared|common|every|last|dying))\s+", after=_TO_VERB,
      note="before a verb ('we want to thank' / 'we wish to thank'); not the noun ('the wish"
      " to', 'best wishes to all')",
      example="The board said that we {} review the plan this year."),
    V("synonym.try", (("try to", "attempt to"), ("tries to", "attempts to"),
                      ("tried to", "attempted to"), ("trying to", "attempting to")),
      sources="a", style="bold", not_before=_NOUN_BEFORE, after=_TO_VERB,
      note="'try to' before a verb; 'attempt' is never the original (a noun: 'attempts to fix"
      " it failed')",
      example="The board said that we {} review the plan this year."),
    V("synonym.check", (("check that", "verify that"), ("checks that", "verifies that"),
                        ("checked that", "verified that"), ("checking that", "verifying that")),
      style="bold", before=_VERB_BEFORE, after=_CLAUSE_AFTER,
      note="a verb before a clause ('we checked that the figures' / 'we verified that the"
      " figures'); not the noun ('a check that the team runs')",
      example="The board asked us to {} the figures are right."),
    V("synonym.finish", (("finish", "complete"), ("finishes", "completes"),
                         ("finished", "completed"), ("finishing", "completing")), sources="a",
      style="bold",
      not_before=r"(?i:\b(?:a|an|the|matte|gloss|glossy|photo|fine|smooth|close|strong))\s+",
      after=_NOUN_AFTER,
      note="'finish' before its object ('finish the report' / 'complete the report'); not the"
      " noun ('a matte finish'); 'complete' is never the original ('complete the form' is"
      " 'fill in')",
      example="The finance team will {} the budget review next week."),
    V("synonym.contact", (("contact", "get in touch with"),
                          ("contacting", "getting in touch with")), style="bold",
      before=_VERB_BEFORE, not_before=r"(?i:\b(?:a|an|the|your|our|their|its|first|main|key"
      r"|direct|close|eye|point|of))\s+",
      after=r"\s+(?:the|our|your|their|this|these|those|us|me|them|him|her|any|a|an|[A-Z])\b",
      note="the verb before its object ('please contact the office' / 'please get in touch"
      " with the office'), after a modal, 'to', a pronoun or opening an instruction; not the"
      " noun ('your contact the office named', 'point of contact')",
      example="If you have questions, please {} the programme office directly."),
    V("synonym.choose", (("choose", "select"), ("chooses", "selects"),
                         ("choosing", "selecting")), after=_DETERMINER,
      example="The board will {} the new chair next year."),
    # -- dates: bold only (a copy may write its dates in two styles)
    V("date.day_month", _dates(), style="bold",
      before=r"(?i:\b(?:on|by|from|until|till|before|after|since|to|effective|and|or|between"
      r"|through|dated|of))\s+", not_after=r"(?:\s*,)?\s*\d|\s*[-\u2013]",
      note="a day and a month after a preposition ('on 8 January'), not before a year or a"
      " range ('8 January 2026', '8-10 January')",
      example="The board will meet again on {} to review the plan."),
    V("date.quarter", tuple((f"the {nth} quarter", f"Q{number}") for number, nth in
                            enumerate(_split("first second third fourth"), 1)), style="bold",
      exact_case=True,
      before=r"(?i:\b(?:in|during|for|by|until|before|after|since|from|through|of|to|and|or"
      r"|throughout|over|within))\s+",
      after=r"\s*[.,;:)]|\s+(?:and|or|to|of|in|on|at|for|with|as|when|while|but|was|is|will"
      r"|we|they|the|this|compared|versus|than|because|after|before)\b",
      not_after=r"\s+(?:of\s+)?\d|[-\u2013/]\w",
      note="a quarter after a preposition and before a stop or a function word ('in the third"
      " quarter, sales' / 'in Q3, sales'), not before a year ('Q3 2026'), in a range ('Q3-Q4')"
      " or naming a thing ('Q4 input')",
      example="Sales in the region rose again in {} and the board was pleased."),
    # -- contractions, only where the document already uses some
    V("contraction.not", _CONTRACTED_NOT, requires="contracted",
      example="The board said that the team {} agree with it."),
    V("contraction.have", _CONTRACTED_HAVE, requires="contracted", after=_PARTICIPLE,
      note="'have' before a past participle ('we have moved' / 'we've moved'), never as a"
      " main verb ('we have two options')",
      example="The board told us that {} moved the date to May."),
    V("contraction.pronoun", _CONTRACTED_PRONOUN, requires="contracted",
      after=r"\s+[a-z]", not_after=_NOT_HAS,
      note="not at the end of a clause ('as it is.'), nor before a participle ('it's been' is"
      " 'it has been')",
      example="The board told us {} going well this year."),
)

BRITISH_MARKERS = frozenset(_split(
    "colour colours favour favours favourable behaviour behaviours labour honour neighbour"
    " harbour rumour humour endeavour endeavours centre centres theatre metre metres programme"
    " programmes defence offence licence cheque catalogue whilst amongst travelled travelling"
    " modelling labelled"
)) | frozenset(
    second for _, second in _family(_IZE_STEMS, "e,es,ed,ing,ation,ations", "iz", "is")
)
"""Words that show a document is spelt the British way."""
# fmt: on
