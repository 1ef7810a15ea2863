"""A verbless line that names the one result of the work before it (S173).

Chat and memos close a request with a note instead of a command: "Comparison
chart at the end.", "Quick joint recap please", "Single sheet summary.",
"Merged status for the board." No verb asks for the work, yet the line
asks for one thing made from everything before it. The nouns that name such a
result, and the words that make a container one thing ("one doc", "a combined
deck"), are the ``[fanin]`` classes of rules/words.toml that already tell which
step closes parallel work (O320); that pass then makes the step wait for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.parser.clauses import Pred
from planner.parser.combining import CombiningWords, load_combining_words
from planner.parser.fanin import FaninWords, load_fanin_words
from planner.parser.readings import reading
from planner.parser.then_result import then_result
from planner.parser.tree import Tree

# A note on the result is short; a longer verbless sentence is a heading or context.
_MAX_WORDS = 12
# Politeness and filler a note may carry ("... pls", "... thanks").
_FILLER = frozenset({"pls", "plz", "please", "thanks", "thx", "ty"})
# Determiners of a thing already there ("the report", "our summary"), not one to make.
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "our", "my", "your", "their", "his", "her", "its"})
# Marks that open a list item: a line of a list names a member, not a result.
_BULLETS = ("-", "*", "•", "·", "–", "—")
# Results that are written summaries; the others are set out as tables, lists or documents.
_SUMMARIES = frozenset({"summary", "overview", "digest", "roundup", "round-up", "writeup", "write-up", "recap", "readout", "brief", "briefing"})


def _participle(t: Tree, k: int) -> bool:
    """A past participle with no subject or auxiliary: it describes ("combined", "consolidated")."""
    form = t.words[k].text.lower()
    return form != t.lemma(k) and form.endswith(("ed", "en")) and t.child(k, "nsubj") is None and not t.children(k, "aux", "mark")


def _head(t: Tree) -> int | None:
    roots = [k for k in range(len(t)) if t.head(k) is None]
    return roots[0] if len(roots) == 1 else None


@reading("S173", "result-line", "A verbless line after requested work that names one result ('Comparison chart at the end.', 'Single sheet summary.') is the step that makes it.")
def result_line(t: Tree, fw: FaninWords | None = None) -> int | None:
    """"Visit the three allotments. Single sheet summary." The second sentence has no
    verb: it names what the work before it should end in, and that making is a
    step, the one that joins the work. The line must be short, hold no verb
    or auxiliary (a participle describing the result, "combined", is no
    verb), end in no colon (a label over what follows), and be headed by a
    noun that names one result ("summary", "table", "ranking", ``[fanin]
    results``) or a container said to be one thing ("one page", "a combined
    deck", ``[fanin] containers`` with ``single``). "A table is okay" has a
    verb and says how, not what. Returns the head noun, or None.
    """
    fw = fw or load_fanin_words()
    words = [k for k in range(len(t)) if t.words[k].upos != "PUNCT" and t.low(k) not in _FILLER]
    if not words or len(words) > _MAX_WORDS or t.words[-1].text in (":", "："):
        return None
    head = _head(t)
    if head is None:
        return None
    described = -1
    if t.words[head].upos == "VERB" and _participle(t, head):
        # "Merged status for the board": the tagger made the participle describing the result the root
        described = head
        head = next((c for c in t.children(head, "obj", "nsubj", "obl") if t.words[c].upos in ("NOUN", "PROPN")), -1)
        if head < 0 or any(t.words[k].upos not in ("NOUN", "PROPN", "ADJ") for k in range(described + 1, head)):
            return None  # "Forwarded the minutes": a participle with its own object tells what was done
    if t.low(head) in _FILLER:
        head = next((c for c in t.children(head, "compound") if t.words[c].upos in ("NOUN", "PROPN")), -1)  # "recap please"
        if head < 0:
            return None
    if any(t.words[k].upos in ("VERB", "AUX") and k != described and t.rel(k) not in ("amod", "compound") and not _joining_purpose(t, k, head) for k in words):
        return None
    if t.words[head].upos not in ("NOUN", "PROPN"):
        return None
    if any(t.low(d) in _DEFINITE for d in t.children(head, "det", "nmod:poss")):
        return None  # "the error budget report": a thing that is there already, not one to make
    lemma, low = t.lemma(head), t.low(head)
    if lemma in fw.results or low in fw.results:
        return head
    # "comparison chart", "summary sheet": a result noun modifying the head names the result too
    if any(t.lemma(k) in fw.results for k in t.children(head, "compound")):
        return head
    if lemma in fw.containers or low in fw.containers:
        one = any(t.low(k) in fw.single for k in [*t.children(head, "det", "nummod", "amod", "compound"), *([described] if described >= 0 else [])])
        return head if one else None
    return None


@reading("S457", "result-line-to-join", "'Final report to combine all three.': a result line whose noun is followed by 'to' and a verb that joins results (combine, merge, pull together) names that result; the purpose says what it joins.")
def _joining_purpose(t: Tree, k: int, head: int) -> bool:
    """Verb ``k`` is "to combine"/"to merge" said of the result noun ``head`` ("One sheet to
    merge them."): an infinitive describing the result by the joining it does
    (``[combining] verbs``), so the line is still verbless as a request. "Report to the
    manager" has no verb; "a report to send out" describes it by no joining and stays
    out, as does any verb with a subject of its own."""
    return (t.rel(k) == "acl" and t.head(k) == head and any(t.low(m) == "to" for m in t.children(k, "mark"))
            and t.lemma(k) in load_combining_words().verbs and not t.children(k, "nsubj"))


def _names_result(t: Tree, k: int, fw: FaninWords, cw: CombiningWords) -> bool:
    """Noun ``k`` names one result to make: a result noun ("a summary table") or a
    container said to be one ("one consolidated sheet"), not one already there."""
    if t.words[k].upos not in ("NOUN", "PROPN") or any(t.low(d) in _DEFINITE for d in t.children(k, "det", "nmod:poss")):
        return False
    if t.lemma(k) in fw.results or t.low(k) in fw.results or any(t.lemma(c) in fw.results for c in t.children(k, "compound")):
        return True
    marks = {t.low(c) for c in t.children(k, "det", "nummod", "amod", "compound")}
    return (t.lemma(k) in fw.containers or t.low(k) in fw.containers) and bool(marks & ((fw.single - {"a", "an"}) | cw.whole | cw.single))


# Prepositions that give the form a wanted thing takes ("as a grid", "in one table", "into a list").
_FORM_CASES = frozenset({"as", "in", "into"})


@reading("S286", "wanted-in-a-form", "'Need it as a grid.', 'want them in one table': a wish for the work's answer in the form of one result names that result.")
def _wanted_form(t: Tree, root: int) -> int | None:
    """"Check the five branches. Need it as a grid." The wish's object is a
    pronoun standing for the answer of the work before it; what the writer
    asks for is the form that answer takes, the noun after "as", "in" or
    "into". Returns that noun (checked by the caller as a result), or None:
    "need it for the meeting" names a use, not a form.
    """
    for k in t.children(root, "obl"):
        if any(t.low(c) in _FORM_CASES for c in t.children(k, "case")):
            return k
    return None


@reading("I391", "wished-result", "After the work, a sentence that wishes for one result ('A comparison table would be great.', 'I need a combined status by Friday.') is the step that makes it from all of it.")
def wished_result(t: Tree, fw: FaninWords | None = None, cw: CombiningWords | None = None) -> int | None:
    """"Check the forums of A, B and C. A short comparison table would be perfect."
    The second sentence asks for nothing by its verb: it praises a result the
    writer hopes for ("would be great", "would help", ``[combining] praise``)
    or wants it ("I need", "want", ``[combining] wish``). What it names is one
    result made from the work before it, as a verbless result line (S173):
    a result noun ("summary", "table", ``[fanin] results``) or a container said
    to be one ("one overall view", "a combined status"). "The report would be
    great" names one already there; "I need the logs" asks for data, not a result.
    Returns the result noun, or None.
    """
    fw = fw or load_fanin_words()
    cw = cw or load_combining_words()
    root = _head(t)
    if root is None:
        return None
    if t.low(root) in _FILLER:
        # "want them in one grid please": the tagger can make the closing "please" the root
        verbs = [c for c in range(len(t)) if t.head(c) == root and t.words[c].upos == "VERB"]
        root = verbs[0] if len(verbs) == 1 else root
    words = [k for k in range(len(t)) if t.words[k].upos != "PUNCT"]
    if len(words) > _MAX_WORDS + 4 or t.words[-1].text in (":", "：", "?"):
        return None
    lemma = t.lemma(root)
    if lemma in cw.praise and (t.children(root, "cop") or any(t.low(a) in ("would", "could") for a in t.children(root, "aux"))):
        subject = t.child(root, "nsubj")
    elif t.words[root].upos == "VERB" and lemma in cw.wish and not t.children(root, "xcomp", "ccomp"):
        if any(t.low(n) not in ("i", "we") for n in t.children(root, "nsubj")):
            return None  # "the team needs a combined status": a fact about others
        subject = t.child(root, "obj")
        if subject is not None and t.words[subject].upos == "PRON":
            subject = _wanted_form(t, root)  # S286: "need it as a grid"
    else:
        return None
    return subject if subject is not None and _names_result(t, subject, fw, cw) else None


# Dashes that set a wish apart from the work in one sentence ("check A and B - need a ranking").
_DASHES = frozenset({"-", "–", "—"})


@reading("S288", "wished-after-dash", "After the work in one sentence, a dash and a wish for one result ('... - need a ranking by Friday') is the step that makes it, as a sentence of its own would be (I391).")
def wished_after_dash(t: Tree, fw: FaninWords, cw: CombiningWords) -> tuple[int, int] | None:
    """"Price the sofas at A, B and C - need a ranking by Friday." The dash
    does what a full stop does in I391: the clause after it has no subject
    of its own (or "I", "we"), wants a thing by a wish verb (``[combining]
    wish``), and what it wants names one result ("a ranking", "one
    overview"). The parser hangs such a clause on the work as a side remark
    (or as its object), so no step reads it. "- need the logs" asks for data, not a result.
    Returns (the wish verb, the result noun), or None.
    """
    for v in range(1, len(t)):
        if t.lemma(v) not in cw.wish or t.words[v].upos != "VERB" or t.children(v, "xcomp", "ccomp"):
            continue
        if t.low(v - 1) not in _DASHES and not (v > 1 and t.low(v - 2) in _DASHES and t.low(v - 1) in ("i", "we")):
            continue  # wherever the parser hung it, the clause must open right after the dash
        if any(t.low(n) not in ("i", "we") for n in t.children(v, "nsubj")):
            continue
        obj = t.child(v, "obj")
        if obj is not None and _names_result(t, obj, fw, cw):
            return v, obj
    return None


def _in_list(text: str, at: int) -> bool:
    """Whether the line holding ``at`` opens with a list mark ("- ", "* ", "2) ", "3. ")."""
    line = text[text.rfind("\n", 0, at) + 1 : at].strip()
    return line.startswith(_BULLETS) or (line[:-1].isdigit() and line[-1:] in (".", ")")) or (line.rstrip(".)").isdigit() and bool(line))


def result_lines(trees: Sequence[Tree], preds: list[Pred], text: str = "") -> list[Pred]:
    """``preds`` with a step for each verbless result line after requested work (S173), in text order."""
    if not preds:
        return preds
    fw = load_fanin_words()
    first = min(p.tree.words[p.i].start for p in preds)
    has = {id(p.tree) for p in preds}
    added: list[Pred] = []
    cw = load_combining_words()
    for t in trees:
        dashed = wished_after_dash(t, fw, cw) if id(t) in has else None
        if dashed is not None and all(p.i not in dashed for p in preds if p.tree is t):
            dv, dk = dashed
            made = "summarize" if ({t.lemma(dk)} | {t.lemma(c) for c in t.children(dk, "compound")}) & _SUMMARIES else "tabulate"
            added.append(Pred(t, dk, made, "wanted", ["I391", "S288"], anchor=dv))
        if id(t) in has or not len(t) or t.words[0].start < first or (text and _in_list(text, t.words[0].start)):
            continue
        k = result_line(t, fw)
        code = "S173"
        if k is None:
            k, code = wished_result(t, fw), "I391"
        if k is None:
            k, code = then_result(t, fw), "S263"
        if k is None:
            continue
        before = sum(1 for p in preds if p.tree.words[p.i].start < t.words[0].start)
        root = _head(t)
        modified = bool(t.children(k, "det", "nummod", "amod", "compound")) or (root is not None and t.words[root].upos == "VERB")
        if before < 2 and not modified:
            continue  # "who wrote it? recap please": the form of the one answer, no step of its own
        words = {t.lemma(k)} | {t.lemma(c) for c in t.children(k, "compound")}
        verb = "summarize" if words & _SUMMARIES else "tabulate"
        codes = [code, "S286"] if code == "I391" and t.rel(k) == "obl" else [code]
        codes += ["S457"] if any(_joining_purpose(t, x, k) for x in t.children(k, "acl")) else []
        added.append(Pred(t, k, verb, "wanted", codes, anchor=k if root is None else root))
    if not added:
        return preds
    return sorted([*preds, *added], key=lambda p: p.tree.words[p.i].start)
