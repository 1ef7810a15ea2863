"""K579: a recording in another language is translated after it is transcribed.

"My landlord left an Italian voicemail, vm.m4a. What does he want?" is answered
from the voicemail's words, and those words are Italian: they are taken out
(K501), put into the user's language, and the question is answered from that.
K573 reads the same for a document; a recording's words must be transcribed
before they can be translated, so the translation waits for the transcript.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.parser.implied import (
    Implied,
    Kinds,
    _language_adjective,
    _naming_words,
    _np_span,
    mentions,
    result_in_language,
    words_of_media,
)
from planner.parser.readings import reading
from planner.parser.tree import Tree


def _in_language(t: Tree, head: int, k: Kinds) -> bool:
    """"a voice note in Urdu": the language after a bare "in" on the recording's noun."""
    return any(
        t.low(c) in k.languages and (case := t.child(c, "case")) is not None and t.low(case) == "in"
        for c in t.children(head, "nmod")
    )


@reading(
    "K579",
    "recording-in-another-language",
    "A recording named as in another language ('an Italian voicemail, vm.m4a. What does he want?') is transcribed, then translated, before the question about it is answered.",
)
def foreign_recording(text: str, trees: Sequence[Tree], drafts: Sequence[Any], k: Kinds) -> list[Implied]:
    """Where K501, K509 or K580 takes out the words of a recording or a video for
    a step, and the text names the recording with a language as an
    adjective ("an Italian voicemail", "the Greek voice note, note.ogg") or
    after "in" on it ("a voice memo in Urdu"), the words are translated
    after they are taken out and before the step: the step waits for the
    translation, the translation for the transcript. A step that translates
    itself, or a result asked for in a language (K537's "what he says, in
    English"), names the translation already.
    """
    if any(d.verb == k.translator for d in drafts):
        return []
    told = {imp.at for imp in result_in_language(text, trees, drafts, k)}
    out: list[Implied] = []
    from planner.parser.picked_out import picked_out

    for imp in [*words_of_media(text, trees, drafts, k), *picked_out(text, trees, drafts, k)]:
        if imp.code not in ("K501", "K509", "K580") or imp.at in told:
            continue
        t = imp.tree
        found = [m for m in mentions(text, t, k) if m.kind in ("audio", "video") and m.head == imp.head]
        if not found:
            continue
        m = found[0]
        # "a voice message in Dutch about the delay, d.mp3": the language may hang on the noun the file names
        if not (_language_adjective(m, k) or any(_in_language(t, n, k) for n in _naming_words(m))):
            continue
        out.append(Implied(imp.at, True, "K579", k.translator, t, m.head, _np_span(text, m, set())))
    return out
