"""Behaviour of planner.parser on hand-written tasks (not the evaluation texts)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from planner.parser import SIGNAL_CATEGORIES, parse


def ids(task: str) -> list[str]:
    return [s.id for s in parse(task).steps]


def test_simple_chain_with_then() -> None:
    g = parse("Search for existing code patterns, design an approach, implement it, then review")
    assert g.shape == "chain"
    assert [s.role for s in g.steps] == ["explore", "design", "implement", "review"]
    a, b, c, d = (s.id for s in g.steps)
    assert g.depends_on(b) == (a,) and g.depends_on(c) == (b,) and g.depends_on(d) == (c,)
    assert "then" in g.steps[3].cues


def test_colon_list_gives_parallel_explore_steps_without_join() -> None:
    g = parse("Understand this codebase: structure, conventions, build system")
    assert [s.role for s in g.steps] == ["explore"] * 3
    assert all(not g.depends_on(s.id) for s in g.steps)
    assert len({s.group for s in g.steps}) == 1 and g.steps[0].group is not None
    assert g.shape == "dag" and g.branches == 3
    assert [g.text[slice(*s.span)] for s in g.steps] == ["structure", "conventions", "build system"]


def test_enumeration_then_join() -> None:
    g = parse("Survey the pricing pages of Stripe, Adyen and Braintree and combine the findings into one table")
    explore = [s for s in g.steps if s.group]
    assert len(explore) == 3
    join = g.steps[-1]
    assert set(g.depends_on(join.id)) == {s.id for s in explore}
    assert "joins" in join.cues


def test_count_with_each_of() -> None:
    g = parse("Read each of the four design docs and then write a short summary of all of them")
    assert g.branches == 4
    assert len(g.steps) == 5
    assert g.signals["count"] == ("4",)


def test_bullet_list_items_are_parallel() -> None:
    text = "Please do the following:\n- audit the login page\n- audit the signup page\n- audit the billing page\n"
    g = parse(text)
    assert len(g.steps) == 3
    assert all("list item" in s.cues for s in g.steps)
    assert g.branches == 3


def test_numbered_list_is_sequential() -> None:
    text = "1. Clone the repository\n2. Build the project\n3. Run the test suite\n"
    g = parse(text)
    assert g.shape == "chain" and len(g.steps) == 3


def test_per_item_lanes() -> None:
    g = parse(
        "For each of the two services (billing, search), update the client and then redeploy it; "
        "finally run the end-to-end suite."
    )
    assert g.branches == 2
    lanes = [s for s in g.steps if s.group]
    assert len(lanes) == 4
    final = g.steps[-1]
    assert len(g.depends_on(final.id)) == 2


def test_alternatives_then_compare() -> None:
    g = parse("Should we use Postgres, MySQL or SQLite? Compare them and pick one.")
    assert g.branches == 3
    assert "or" in g.signals["alternatives"]


def test_before_puts_work_in_order() -> None:
    g = parse("Before deploying the service, run the migration checks.")
    first, second = g.steps  # text order
    assert first.verb == "deploy" and second.verb == "run"
    assert g.depends_on(first.id) == (second.id,)


def test_hand_off_from_earlier_step() -> None:
    g = parse(
        "Collect the server logs, scan the metrics dashboard, and train an anomaly model on the collected logs."
    )
    train = g.steps[-1]
    assert g.steps[0].id in g.depends_on(train.id)


def test_iteration_and_stop_condition() -> None:
    g = parse("Tune the prompt and rerun the benchmark until the score stops improving.")
    assert "until" in g.signals["iteration"]
    assert g.signals["stop_condition"] == ("the score stops improving",)


def test_exploration_signal() -> None:
    g = parse("Logins fail at random and I have no idea why. Figure out the root cause.")
    assert {"no idea", "root cause", "figure out"} <= set(g.signals["exploration"])
    assert g.steps[0].role in {"scout", "explore"}


def test_code_blocks_and_tracebacks_make_no_steps() -> None:
    text = (
        "Saving a profile crashes.\n\n```python\nsave(profile)\nfix(this)\n```\n\n"
        "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n"
        "ValueError: bad profile\n\nPlease investigate and fix the crash.\n"
    )
    g = parse(text)
    code_start = text.index("```")
    code_end = text.index("ValueError: bad profile") + len("ValueError: bad profile")
    for s in g.steps:
        assert s.span[1] <= code_start or s.span[0] >= code_end
    assert [s.verb for s in g.steps] == ["investigate", "fix"]


def test_signals_have_every_category() -> None:
    g = parse("Fix the typo in the README.")
    assert set(SIGNAL_CATEGORIES) <= set(g.signals)
    assert g.shape == "single"


def test_to_dict_shape() -> None:
    g = parse("Draft the post, then have it reviewed")
    d = g.to_dict()
    assert d["task"] == g.text and d["shape"] == "chain"
    assert [s["id"] for s in d["steps"]] == [s.id for s in g.steps]
    assert d["steps"][1]["depends_on"] == [g.steps[0].id]
    assert d["steps"][1]["role"] == "review"
    json.dumps(d)


def test_empty_text_has_no_steps() -> None:
    g = parse("   \n ")
    assert g.steps == () and g.shape == "single"
    assert nx.is_directed_acyclic_graph(g.graph)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        parse(b"bytes")  # type: ignore[arg-type]


def test_cli_json_and_text() -> None:
    from planner.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["parse", "--format", "json", "Find the bug, then fix it"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["shape"] == "chain" and len(data["steps"]) == 2
    text = runner.invoke(cli, ["parse", "Find the bug, then fix it"])
    assert text.exit_code == 0 and "find-bug" in text.output and "┌" in text.output


def test_cli_empty_task_is_a_usage_error() -> None:
    from planner.cli import main

    assert main(["parse", "  "]) == 2


def test_text_after_a_data_colon_is_not_parsed() -> None:
    g = parse("Translate the following text: Merge the branches, then deploy everything. Then summarize it.")
    verbs = [s.verb for s in g.steps]
    assert "merge" not in verbs and "deploy" not in verbs
    assert verbs == ["translate", "summarize"]


def test_quoted_text_is_data() -> None:
    g = parse("Check the grammar of 'Fix the door, then paint it' and rate it.")
    assert [s.verb for s in g.steps] == ["check", "rate"]


def test_participles_after_i_need_it() -> None:
    g = parse("I have a memo. I need it shortened, translated and proofread.")
    assert [s.verb for s in g.steps] == ["shorten", "translate", "proofread"]
    assert g.shape == "chain"


def test_gerund_list_after_help_with() -> None:
    g = parse("I need help with cleaning the dataset, labelling the outliers and plotting the results.")
    assert len(g.steps) == 3


def test_fact_list_in_a_bug_report_is_not_work() -> None:
    text = (
        "Login fails after the upgrade.\n\nEnvironment:\n- Python 3.12 on Debian\n- Works on the previous release\n\n"
        "Please find the cause and fix it."
    )
    g = parse(text)
    assert [s.verb for s in g.steps] == ["find", "fix"]


def test_repeated_request_is_one_step() -> None:
    g = parse("I would like to classify this recording. Can you classify it?")
    assert len(g.steps) == 1


def test_naming_an_earlier_result_branches() -> None:
    g = parse("Transcribe the interview, summarize it, and translate the transcription into German.")
    transcribe, summarize, translate = g.steps
    assert g.depends_on(summarize.id) == (transcribe.id,)
    assert g.depends_on(translate.id) == (transcribe.id,)
    assert g.shape == "dag"


def test_inspections_of_one_input_run_side_by_side() -> None:
    g = parse("Please segment the photo, classify the objects in it and detect any text in the photo.")
    assert len(g.steps) == 3
    assert all(not g.depends_on(s.id) for s in g.steps)


def test_problem_report_without_request_is_one_scout_step() -> None:
    g = parse("Exports crash with a KeyError since version 2.1.\n\nIt worked before the upgrade.")
    assert len(g.steps) == 1 and g.steps[0].role == "scout"


def test_lifecycle_puts_gathering_first_without_cues() -> None:
    g = parse("Write the report and research the three vendors.")
    write, research = g.steps  # text order
    assert g.depends_on(write.id) == (research.id,)
    assert research.role == "explore"
    # A cue or a reference back keeps the text order.
    g = parse("Write the report, then check it.")
    assert g.depends_on(g.steps[1].id) == (g.steps[0].id,)


def test_a_look_at_what_the_step_before_changes_keeps_the_text_order() -> None:
    # Surveying the records after cleaning them surveys the cleaned records.
    g = parse("Clean up the customer records and survey the records for gaps.")
    clean, survey = g.steps
    assert survey.role == "explore"
    assert g.depends_on(survey.id) == (clean.id,) and g.depends_on(clean.id) == ()
    # A look at something else still comes first.
    g = parse("Clean up the customer records and survey the vendors.")
    clean, survey = g.steps
    assert g.depends_on(clean.id) == (survey.id,)
    # The look is at what it names last: logo trends, not the recoloured logo.
    g = parse("Change the colour of the logo and research logo trends.")
    change, research = g.steps
    assert g.depends_on(change.id) == (research.id,)


def test_unknown_imperative_verbs_at_clause_start() -> None:
    g = parse("Migrate the users, then decommission the old cluster. Afterwards, archive the logs.")
    assert [s.verb for s in g.steps] == ["migrate", "decommission", "archive"]
    assert g.shape == "chain"


def test_reproduction_steps_are_not_work() -> None:
    text = (
        "Saving drafts loses the title\n\n### Steps to reproduce\n\n1. Open the editor\n2. Type a title\n"
        "3. Click save\n\n### Expected behavior\n\nThe title should be kept.\n\n"
        "### Request\n\nPlease find out why the title is dropped and fix it.\n"
    )
    g = parse(text)
    assert [s.verb for s in g.steps] == ["find", "fix"]


def test_wanted_results_listed_become_steps() -> None:
    g = parse("I have a recording. I need a transcript of it, a short summary, and a list of action items.")
    assert len(g.steps) == 3
    assert all("wanted result" in s.cues or "enumeration" in s.cues for s in g.steps)
    assert g.text[slice(*g.steps[0].span)] == "a transcript of it"


def test_cli_ascii_diagram() -> None:
    from planner.cli import cli

    out = CliRunner().invoke(cli, ["parse", "--ascii", "Check the logs, the metrics and the traces, then merge the findings"])
    assert out.exit_code == 0
    assert out.output.isascii()


def test_a_named_result_decides_the_input_even_after_then() -> None:
    # "finally" orders the work; "the translated summary" says what it reads.
    g = parse(
        "Summarise the design notes, then translate the summary into Spanish. After that, record the "
        "Spanish text as a podcast, and finally list the open questions in the translated summary."
    )
    summarise, translate, record, listing = g.steps
    assert g.depends_on(translate.id) == (summarise.id,)
    assert g.depends_on(record.id) == (translate.id,)
    assert g.depends_on(listing.id) == (translate.id,)
    assert g.shape == "dag"


def test_a_comparison_of_two_results_joins_them() -> None:
    g = parse("Draft a summary of the report, write a reply to the customer, and finally check the reply against the summary.")
    summary, reply, check = g.steps
    assert set(g.depends_on(check.id)) == {summary.id, reply.id}


def test_the_users_own_or_latest_thing_is_no_earlier_result() -> None:
    # "my logo" is the user's input and "the final banner" the latest version: both keep the chain.
    g = parse("Design a banner, then resize the banner for mobile, and then place my logo on the final banner.")
    assert g.shape == "chain"
    g = parse("Render the scene, sharpen it, and then upload the final render to the gallery.")
    assert g.shape == "chain"


def test_two_wanted_results_each_with_an_article_are_two_steps() -> None:
    g = parse("I wrote release notes. I also need a short announcement and a changelog table based on them.")
    assert len(g.steps) == 2 and g.shape == "dag"
    g = parse("Please give me a cost estimate and a timeline for the migration.")
    assert [g.text[slice(*s.span)] for s in g.steps] == ["a cost estimate", "a timeline"]
    assert g.shape == "dag"
    # Without an article on each item it stays one thing.
    assert len(parse("I need the cover and spine redesigned.").steps) == 1
    assert len(parse("Please show me the boxes and labels.").steps) == 1


def test_both_results_are_joined() -> None:
    g = parse("Write a draft of the speech, shorten the draft for radio, and then compare both drafts for tone.")
    write, shorten, compare = g.steps
    assert set(g.depends_on(compare.id)) == {write.id, shorten.id}
    assert g.shape == "dag"
    # Two different things: the latest version of each.
    g = parse("Download the old poster, design a new poster, sharpen the new poster, and then place both posters on one page.")
    download, design, sharpen, place = g.steps
    assert g.depends_on(sharpen.id) == (design.id,)
    assert set(g.depends_on(place.id)) == {download.id, sharpen.id}


def test_nouns_that_look_like_verbs_inside_a_noun_phrase() -> None:
    # "pitch", "mix" and "exercise" name things here, not work.
    assert len(parse("Please lower the tone and pitch of the narration track.").steps) == 1
    assert len(parse("Add an echo to the podcast with a short delay and mix level.").steps) == 1
    assert len(parse("I wrote a post on diet and exercise. Please list its key claims.").steps) == 1
    # As the first word of a request they are still verbs.
    g = parse("Mix the two stems, then pitch the demo to the label.")
    assert [s.verb for s in g.steps] == ["mix", "pitch"]


def test_items_put_together_are_one_steps_inputs() -> None:
    g = parse("Please stitch the three scans (page1.png, page2.png and page3.png) together into one PDF.")
    assert len(g.steps) == 1
    # Without "together" a gathering verb still looks at each item.
    assert len(parse("Check the three logs (api.log, db.log and web.log) for timeouts.").steps) == 3


def test_making_the_output_file_ends_the_step_before() -> None:
    g = parse("Merge the two survey exports and create an output spreadsheet.")
    assert len(g.steps) == 1 and "result handed back" in g.steps[0].cues
    # A new thing that is not the output is work of its own.
    assert len(parse("Merge the two survey exports and create a chart of the answers.").steps) == 2
    # Naming the output file is not work; using a result as input is.
    assert len(parse("Render the intro animation and use intro.mp4 as the output file.").steps) == 1
    assert len(parse("Search the wiki for the error and use the top result as a starting point for the fix.").steps) == 2


def test_a_wish_whose_subject_came_before() -> None:
    g = parse("I have a product photo and want to remove its background. Then, I want to add a drop shadow.")
    assert [s.verb for s in g.steps] == ["remove", "add"]
    assert g.shape == "chain"
    # The same wish asked again is one step.
    assert len(parse("I have a photo and want to crop it. Please crop the photo to a square.").steps) == 1


def test_a_conversion_makes_its_target_not_its_object() -> None:
    # "translate the text into German" makes German text; "the text" after it is still the transcript.
    g = parse("Transcribe the interview into text, translate the text into German, and summarise the text.")
    transcribe, translate, summarise = g.steps
    assert g.depends_on(translate.id) == (transcribe.id,)
    assert g.depends_on(summarise.id) == (transcribe.id,)
    # Naming the target follows the conversion.
    g = parse("Convert the slides into a video, then add captions to the video.")
    assert g.shape == "chain"


def test_wanted_results_keep_their_whole_phrase() -> None:
    g = parse("I want a summary of costs listed in budget.xlsx and a forecast chart.")
    assert [g.text[slice(*s.span)] for s in g.steps] == ["a summary of costs listed in budget.xlsx", "a forecast chart"]
    # A word that looks like a verb inside a wanted phrase starts no step of its own.
    assert len(parse("I need a short note describing the risks present in the plan.").steps) == 1


def test_a_bare_verb_before_and_shares_the_next_object() -> None:
    # "sharpen and classify the original photo": both work on one thing, in order.
    g = parse("Please sharpen and classify the original photo.")
    sharpen, classify = g.steps
    assert sharpen.verb == "sharpen" and g.depends_on(classify.id) == (sharpen.id,)
    assert g.shape == "chain"


def test_the_head_of_a_made_thing_names_it() -> None:
    # "a short intro jingle" is "the jingle" later: the mix uses it, so it follows.
    g = parse("Record a short intro jingle. Additionally, mix 'theme.wav' with the jingle.")
    record, mix = g.steps
    assert g.depends_on(mix.id) == (record.id,)
    # Without that reference the added request starts from the user's file.
    g = parse("Record a short intro jingle. Additionally, normalise the volume of 'theme.wav'.")
    assert g.shape == "dag"


def test_a_participle_in_the_object_names_what_the_step_made() -> None:
    # "get the summarised version" makes a summary; "based on the summary" forks from it.
    g = parse(
        "I'd like to get the summarised version of the report, have it read aloud as audio, "
        "and write a tweet based on the summary."
    )
    get, read, tweet = g.steps
    assert g.depends_on(read.id) == (get.id,)
    assert g.depends_on(tweet.id) == (get.id,)


def test_following_this_is_a_sequence_cue_not_a_step() -> None:
    g = parse("Fix the typos in the draft. Following this, publish the draft.")
    assert [s.verb for s in g.steps] == ["fix", "publish"] and g.shape == "chain"


def test_a_bare_condition_gerund_is_not_a_step() -> None:
    # "After editing," points back at the change just asked for.
    g = parse("Change the title colour to red. After editing, export the page as a PDF.")
    assert [s.verb for s in g.steps] == ["change", "export"] and g.shape == "chain"
    g = parse("First of all, back up the database. Then migrate the schema.")
    assert [s.verb for s in g.steps] == ["back", "migrate"]


def test_the_head_of_an_earlier_result_forks_from_it() -> None:
    # "the printer" is what "find the best printer" found; the order step in between made a different thing.
    g = parse("Find the best laser printer, order some paper, and sell the printer on eBay.")
    find, order, sell = g.steps
    assert g.depends_on(order.id) == (find.id,)
    assert g.depends_on(sell.id) == (find.id,)


def test_a_passive_wish_names_the_work_by_its_participle() -> None:
    g = parse("These two modules are old and need to be replaced by the new client.")
    assert [s.verb for s in g.steps] == ["replace"]
def test_a_later_mention_means_the_changed_version() -> None:
    # Polishing changed the deck, so exporting "the deck" takes the polished one,
    # not the converter's first output: one chain, no fork.
    g = parse("Convert the meeting notes into a slide deck, polish the deck layout, and export the deck as a PDF.")
    _convert, polish, export = (s.id for s in g.steps)
    assert g.depends_on(export) == (polish,) and g.shape == "chain"
    # Only inspecting leaves the thing as it was: a later mention still means the original.
    g = parse("Convert the notes into a slide deck, check the deck layout, and export the deck as a PDF.")
    assert g.steps[0].id in g.depends_on(g.steps[-1].id)


def test_a_wish_whose_subject_is_carried_over_is_a_request() -> None:
    # "... and want to shorten it": the "I" of the first clause still speaks.
    g = parse("I have a long draft essay and want to shorten it.")
    assert [s.verb for s in g.steps] == ["shorten"]
    g = parse("I keep the release notes in notes.md and would like to translate them into German, then publish them.")
    assert [s.verb for s in g.steps] == ["translate", "publish"] and g.shape == "chain"


def test_synchronize_is_a_verb() -> None:
    g = parse("Record the narration and synchronize it with the slides.")
    assert [s.verb for s in g.steps] == ["record", "synchronize"]


def test_an_inspection_of_a_part_reports_that_part() -> None:
    # "the size of the backlog" is what estimating finds; checking the size uses it.
    g = parse("Estimate the size of the backlog and check the size against last year.")
    assert g.shape == "chain"
    g = parse("Identify the slowest queries in the log and explain the slowest queries to the team.")
    assert g.depends_on(g.steps[1].id) == (g.steps[0].id,)
    # Inspecting the whole input reports on it: a second look at it runs beside the first.
    g = parse("Classify the photo and check the photo for faces.")
    assert g.shape == "dag" and not g.depends_on(g.steps[1].id)


def test_an_extra_request_that_points_at_a_result_follows_it() -> None:
    # "this poem" is the one just written, even though the melody is the user's own file.
    g = parse("Write a short poem about rain. Additionally, set this poem to music using the provided melody file tune.mid.")
    assert g.shape == "chain"
    # With nothing pointing back, the extra request works on the given file beside the first step.
    g = parse("Write a short poem about rain. Additionally, record the melody in the given file tune.mid.")
    assert g.shape == "dag" and not g.depends_on(g.steps[1].id)


@pytest.mark.parametrize(
    "task",
    [
        "Change the tone and pitch of the narration to sound calmer.",
        "Boost the bass and mix level of the track.",
        "I wrote a guide on sleep and exercise. Please proofread it.",
    ],
)
def test_nouns_that_are_also_verbs_inside_a_noun_phrase(task: str) -> None:
    # "pitch of", "mix level", "and exercise." are nouns, not new steps.
    assert parse(task).shape == "single"


def test_making_the_output_is_how_the_step_before_ends() -> None:
    assert parse("Merge the two clips and create an output video.").shape == "single"
    assert parse("Denoise the podcast track and generate a clean audio output.").shape == "single"
    # A new thing made from the result is a step of its own.
    assert parse("Merge the two clips and create a thumbnail for the video.").shape == "chain"


def test_a_request_that_makes_the_wished_result_is_the_same_step() -> None:
    g = parse("I need a logo for the bakery. Please design it in warm colours.")
    assert g.shape == "single" and g.steps[0].verb == "design"
    # Checking the wished logo is work on it once it exists.
    assert parse("I need a logo for the bakery. Please check it for contrast problems.").shape == "chain"


def test_how_a_result_should_be_is_not_another_step() -> None:
    # "to be short" describes the headlines; "to be translated" asks for work.
    assert parse("Write five headlines for the launch post. I want the headlines to be short and punchy.").shape == "single"
    g = parse("Write five headlines for the launch post. I need the headlines to be translated into Spanish.")
    assert g.shape == "chain"
    assert parse("Download the clip. I want the clip to be doubled in speed.").shape == "chain"


def test_the_users_own_things_are_not_a_steps_result() -> None:
    # "the car" is the rented one; "my car" is the user's own and needs no rental.
    g = parse("Rent a car for Friday, book a hotel in Lyon and clean the car.")
    assert g.steps[0].id in g.depends_on(g.steps[-1].id) and g.shape == "dag"
    assert parse("Rent a car for Friday, book a hotel in Lyon and clean my car.").shape == "chain"


def test_work_asked_for_in_the_passive() -> None:
    g = parse("I have a draft that needs to be both shortened and proofread.")
    assert [s.verb for s in g.steps] == ["shorten", "proofread"] and g.shape == "chain"
    assert [s.verb for s in parse("The config file has to be migrated to the new format.").steps] == ["migrate"]
    # "to be ready" states a deadline, not work.
    assert parse("Write the release notes. The notes need to be ready by Friday.").shape == "single"


def test_a_condition_can_name_work_nobody_asked_for_yet() -> None:
    g = parse("I have a photo of the shop. After the photo is cropped, write a caption for it.")
    assert [s.verb for s in g.steps] == ["crop", "write"] and g.shape == "chain"
    # Already a step, or a state rather than work: no extra step.
    assert len(parse("Crop the photo. After the photo is cropped, write a caption for it.").steps) == 2
    assert parse("When the build is green, tag a release.").shape == "single"
    assert parse("When the build is finished, tag a release.").shape == "single"


def test_a_request_that_repeats_the_wish_in_other_words() -> None:
    # "the request" stands for the whole wish; "call 555-0100" details "make a call".
    assert parse("I want to renew my library card. Please help me complete the request.").shape == "single"
    assert parse("I need to make a call to my landlord. Please call 555-0100 for me.").shape == "single"
    # Different work with a new file is a second step.
    assert parse("I need to make a call to my landlord. Please send 'rent.pdf' to him.").shape == "chain"


def test_a_wish_for_something_to_be_done_is_that_work_on_it() -> None:
    # "the speed of the talk to be doubled" doubles the talk's speed, so adding
    # subtitles to "the talk" afterwards takes the faster talk.
    g = parse(
        "Download the talk from the link. I would like the playback speed of the talk to be doubled. "
        "Also, add subtitles to the talk."
    )
    assert [s.verb for s in g.steps] == ["download", "double", "add"] and g.shape == "chain"


def test_several_kinds_of_thing_in_one_input_is_one_pass() -> None:
    g = parse("Find the dates, names and places in this letter.")
    assert g.shape == "single"
    # Several subjects to look into are one look each; so is a list said to run in parallel.
    assert parse("Research the pricing of Stripe, Adyen and Braintree.").branches == 3
    assert parse("In parallel, find the dates, names and places in this letter.").branches == 3


def test_find_attached_hands_over_an_input() -> None:
    g = parse("Summarize the key decisions from the meeting notes. Please find the notes attached.")
    assert g.shape == "single" and g.steps[0].verb == "summarize"
    # A real search stays a step.
    assert parse("Summarize the meeting notes and find the related tickets.").shape == "chain"


def test_a_capitalised_name_is_not_a_steps_result() -> None:
    # "the application" is what applying made; "the Visa Application Tool" is a product's name.
    g = parse("Apply for a passport, book a flight and print the application.")
    assert g.steps[0].id in g.depends_on(g.steps[-1].id) and g.shape == "dag"
    assert parse("Apply for a passport, book a flight and install the Visa Application Tool.").shape == "chain"


def test_an_abbreviation_before_a_sentence_opener_ends_the_sentence() -> None:
    from planner.parser.segment import sentences

    text = "Ship the parcel to 12 Baker St. After that, email the receipt to Dr. Watson."
    assert [text[s.start : s.end] for s in sentences(text)] == [
        "Ship the parcel to 12 Baker St.",
        "After that, email the receipt to Dr. Watson.",
    ]
    # "Meanwhile" in its own sentence now puts the email beside the shipping.
    assert parse("Ship the parcel to 12 Baker St. Meanwhile, email the invoice to the client.").shape == "dag"


def test_a_thing_inside_a_changed_input_is_read_after_the_change() -> None:
    # The signature block is part of the scan, and the scan gets sharpened first.
    g = parse("I have a scan of a contract with a signature block. Please sharpen the scan, then check the signature block.")
    assert g.shape == "chain"
    g = parse(
        "I have a scan of a contract with a signature block. "
        "Please sharpen the scan, translate it into French and check the signature block."
    )
    sharpen, _translate, check = (s.id for s in g.steps)
    assert g.depends_on(check) == (sharpen,) and g.shape == "dag"


def test_products_of_a_conversion_are_its_target() -> None:
    from planner.parser.flow import products
    from planner.parser.lexicon import load_lexicon
    from planner.parser.segment import clauses, sentences

    lex = load_lexicon()
    (clause,) = clauses(lex, sentences("Convert the answer into speech.")[0])
    assert clause.verb_index is not None
    made = products(lex, clause.verb, clause.tokens[clause.verb_index + 1 :])
    assert "speech" in made and "answer" not in made
    # Without a target the object is what the step leaves behind ("polish the answer").
    (clause,) = clauses(lex, sentences("Polish the answer.")[0])
    assert clause.verb_index is not None
    assert "answer" in products(lex, clause.verb, clause.tokens[clause.verb_index + 1 :])


def test_two_verbs_sharing_one_object_work_on_it_in_order() -> None:
    g = parse("Denoise and transcribe the original recording 'call.wav'.")
    assert [s.verb for s in g.steps] == ["denoise", "transcribe"]
    assert g.depends_on(g.steps[1].id) == (g.steps[0].id,)
    # "the input image" is the one just sharpened, not the raw file beside it.
    assert parse("I want to sharpen and classify the input image 'shot.jpg', then read the label aloud.").shape == "chain"


def test_those_points_back_so_the_lookup_stays_after() -> None:
    # "those findings" are the ones just summarized: the explanation is not moved in front.
    g = parse("Summarize the main findings and explain how the chart relates to those findings.")
    assert [s.verb for s in g.steps] == ["summarize", "explain"]
    assert g.depends_on(g.steps[1].id) == (g.steps[0].id,)


def test_combining_makes_a_thing_of_the_kind_combined() -> None:
    # "the image" after "combine it with the logo image" is the combined image, not the first drawing.
    g = parse("Draw a banner image, combine it with the logo image, and upload the image to the site.")
    assert g.shape == "chain"


def test_an_identified_thing_named_before_a_relative_clause_is_the_finding() -> None:
    # "the bird I saw in this photo" is what identifying finds; more pictures of it need that answer.
    g = parse("Identify the bird I saw in this photo and find more pictures of this bird.")
    assert g.shape == "chain"


def test_a_repeated_request_is_judged_by_its_object_not_its_tail() -> None:
    # "but still keeping the key information" qualifies the same shorter version.
    g = parse("I want to get a shorter version of my essay. "
              "Please help me with writing a shorter version but still keeping the key information.")
    assert g.shape == "single"
    # Working on the result ("the shortened version") is a step of its own.
    assert parse("I want to get a shorter version of my essay. Please help me with checking the shortened version.").shape == "chain"


def test_returning_what_a_search_found_ends_the_search() -> None:
    assert parse("Search the archive for the term 'solar tax credit' and return related articles.").shape == "single"
    # After making something, finding related articles is a search of its own.
    assert parse("Write a blog post and return related articles.").shape == "chain"


def test_a_list_ends_where_a_conjunction_closes_it_before_the_next_comma() -> None:
    # Two lists in one sentence: the places to look, then the things to look for.
    g = parse("Review the mobile app, web app and admin portal for broken links, typos and dead buttons, then file one ticket")
    looks = [s for s in g.steps if s.group]
    assert [g.text[s.span[0] : s.span[1]] for s in looks] == ["the mobile app", "web app", "admin portal"]
    assert set(g.depends_on(g.steps[-1].id)) == {s.id for s in looks}


@pytest.mark.parametrize(
    ("text", "n_steps"),
    [
        ("Extract contact details such as emails, phone numbers and postal addresses from the signup form", 1),
        ("Detect animals like dogs, cats and horses in the photo", 1),
        # "research" names subjects, not examples to look for: one look each
        ("Research payment providers such as Stripe, Adyen and Braintree", 3),
    ],
)
def test_examples_after_such_as_are_what_one_pass_looks_for(text: str, n_steps: int) -> None:
    assert len(parse(text).steps) == n_steps


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Look at issue #314 about flaky uploads and fix it", ()),
        ("Audit 5 of our lambdas and report back", ("5",)),
        ("Rewrite 12 for readability tasks", ()),
    ],
)
def test_numbers_that_name_things_are_not_counts(text: str, count: tuple[str, ...]) -> None:
    assert parse(text).signals.get("count") == count


@pytest.mark.parametrize(
    ("text", "verbs"),
    [
        ("Draft the press release, then get it proofread by the comms team", ["draft", "proofread"]),
        ("Write the migration script and have it reviewed by a DBA", ["write", "review"]),
        # the user's own photo: "have" states what they own, nothing is asked of anyone
        ("I have a photo taken at the harbour. Caption it.", ["caption"]),
    ],
)
def test_get_or_have_something_done_is_that_work(text: str, verbs: list[str]) -> None:
    g = parse(text)
    assert [s.verb for s in g.steps] == verbs
    if len(verbs) > 1:  # the arranged work is named by its own verb: "proofread-comms-team"
        assert g.steps[-1].id.split("-")[0] == verbs[-1] and "it" not in g.steps[-1].id.split("-")


def test_a_step_reading_another_kind_reads_the_users_input() -> None:
    # Stabilising reads a video; the summary before it is text, so the footage is the user's own.
    g = parse("Summarise the meeting notes in notes.txt and stabilise the footage from the launch.")
    _summary, footage = g.steps
    assert g.depends_on(footage.id) == ()
    assert "reads a given input of another kind" in footage.cues
    assert g.shape == "dag"
    # Where a step takes something from says what it reads, whatever the order words.
    g = parse("Transcribe the podcast, translate it into Spanish, and then cut a short clip from the video of the talk.")
    assert g.depends_on(g.steps[-1].id) == ()


def test_a_step_reading_another_kind_reads_the_latest_step_that_made_one() -> None:
    # The picture is the diagram the first step drew, not the description written after it.
    g = parse("Generate a diagram of the network, write a short description of it, and compress the picture for the web.")
    diagram, description, compress = g.steps
    assert g.depends_on(description.id) == (diagram.id,)
    assert g.depends_on(compress.id) == (diagram.id,)
    assert "reads an earlier result of its kind" in compress.cues


def test_alt_text_reads_a_picture_and_a_version_has_the_kind_before_it() -> None:
    # Alt text puts a picture into words: after an audio version of the ad
    # (audio, like "an audio file"), it reads the user's photo, beside the ad.
    g = parse("I have a product photo lamp.png. Write a short ad for the lamp, record an audio version of the ad, and add alt text for the shop page.")
    ad, audio, alt = g.steps
    assert g.depends_on(audio.id) == (ad.id,)
    assert g.depends_on(alt.id) == ()
    assert "reads a given input of another kind" in alt.cues
    assert g.shape == "dag"
    # With "then", alt text for the post's pictures keeps the order.
    assert parse("Write a blog post about our trip, then add alt text to the pictures.").shape == "chain"


def test_information_found_is_text() -> None:
    # What a lookup turns up (information, details, facts) is text, so a crop
    # of a photo after it reads the user's photo, while a post written from it follows it.
    g = parse("Find the latest information about the festival online, and then crop the photo in poster.jpg.")
    assert g.depends_on(g.steps[1].id) == () and g.shape == "dag"
    assert parse("Find the latest information about the festival and then write a blog post from it.").shape == "chain"


def test_two_wanted_things_of_different_kinds_are_two_results() -> None:
    # Ideas are words and photos are images: each is made or found on its own.
    g = parse("I need some gift ideas and photos of wrapped presents.")
    assert len(g.steps) == 2 and g.shape == "dag"
    assert parse("I want tips and videos on repotting orchids.").shape == "dag"
    # Things of one kind, or of no known kind, stay one wanted result.
    assert len(parse("I need captions and subtitles for the clip.").steps) == 1
    assert len(parse("I need salt and pepper.").steps) == 1


def test_a_fix_of_any_faults_after_a_reading_of_something_else_works_beside_it() -> None:
    # The sentiment is no list of typos: "any typos" are in the extracted text, fixed beside the look.
    g = parse("Extract the text from the scan, analyse its sentiment, fix any typos, and summarise the fixed text.")
    extract, look, fix, _summary = g.steps
    assert g.depends_on(look.id) == (extract.id,) and g.depends_on(fix.id) == (extract.id,)
    assert "works on what the look read" in fix.cues
    # A look for faults, or one that names no finding, hands its faults to the fix.
    assert parse("Check the code and fix any bugs.").shape == "chain"
    assert parse("Review the draft and fix any issues.").shape == "chain"
    assert parse("Analyze the logs and fix any errors.").shape == "chain"
    # Without "any", a definite "the mistakes" says nothing new: the text order stands.
    assert parse("Analyse the sentiment of the review and correct the mistakes.").shape == "chain"


def test_written_things_are_taken_out_of_text() -> None:
    # Links sit in the transcript, not in the audio made from it.
    g = parse("Transcribe the lecture, turn the transcript into an audio file, and extract any links mentioned.")
    transcribe, _audio, links = g.steps
    assert g.depends_on(links.id) == (transcribe.id,) and g.shape == "dag"
    # Text after text keeps the order; a "from" phrase says where they sit.
    assert parse("Translate the page into Spanish, then extract all the links.").shape == "chain"
    g = parse("Transcribe the lecture, turn the transcript into an audio file, and extract the links from the video.")
    assert g.depends_on(g.steps[-1].id) == ()  # the user's video, not the transcript
    # Keywords are picked out of speech too: no kind is assumed for them.
    from planner.parser.kinds import load_kinds

    assert load_kinds().held_in.get("links") == "text" and "keywords" not in load_kinds().held_in


def test_what_a_made_thing_is_about_is_not_its_kind() -> None:
    # A representation of the podcast is no audio: the picture sharpened is that representation.
    g = parse("Create a visual representation of the podcast and sharpen the picture.")
    assert g.shape == "chain"


def test_kinds_keep_the_chain_when_the_step_uses_the_result() -> None:
    # Same kind, a pronoun, or a name of the result: the text order stands.
    assert parse("Transcribe the podcast, translate it into Spanish, and then trim the translation.").shape == "chain"
    assert parse("Generate an image of a lighthouse, then edit it to add fog.").shape == "chain"
    assert parse("Write the release notes, then proofread the edited notes.").shape == "chain"
    # A light verb says too little about what it reads.
    assert parse("Summarise the notes and use the photo for the cover.").shape == "chain"


def test_a_new_thing_does_not_point_back() -> None:
    # "a new caption" brings in something new; "the new caption" is one already in play.
    g = parse("Transcribe the interview and write a new caption based on the photo.")
    assert g.depends_on(g.steps[1].id) == ()
    assert parse("Transcribe the interview and write the new caption based on the photo.").shape == "chain"


def test_kinds_leave_made_things_and_code_in_text_order() -> None:
    # The object of a making verb is what it makes: the voiceover is recorded from the script.
    assert parse("Write a script for the ad and then record the voiceover.").shape == "chain"
    assert parse("Write a brief for the new logo, then redesign the logo.").shape == "chain"
    # Documents guide code changes: the fix follows the tests, though one is text and one code.
    assert parse("Write the tests, then fix the code.").shape == "chain"
    assert parse("Draft the design doc, then refactor the module.").shape == "chain"
    # "then" before a change to a whole thing may mean "guided by what came before".
    assert parse("Research competitor pricing, write a summary, then update the pricing table.").shape == "chain"
    assert parse("Summarise the interview, then edit the video to highlight the best quotes.").shape == "chain"


def test_kind_of_a_phrase_comes_from_its_head_owner_or_file_name() -> None:
    from planner.parser.kinds import load_kinds, phrases

    kinds = load_kinds()
    assert kinds.of_phrase(["the", "video", "url"]) is None  # a URL, not a video
    assert kinds.of_phrase(["the", "video's", "speech"]) == "video"  # the speech sits in the video
    assert kinds.of_phrase(["the", "audio", "file"]) == "audio"
    assert kinds.of_phrase(["the", "audio", "extracted"]) == "audio"
    assert kinds.of_phrase(["an", "audio", "version"]) == "audio"  # like "the audio file"
    assert kinds.of_phrase(["a", "shorter", "version"]) is None
    assert kinds.of_word("launch-teaser.mp4") == "video"
    assert kinds.of_word("example.com") is None
    assert phrases(["the", "text", "from", "the", "image"]) == [("", ["the", "text"]), ("from", ["the", "image"])]


def test_what_an_inspection_finds_from_its_input_is_its_product() -> None:
    # "the speaker from the recording": identifying reports the speaker, so the search
    # for the speaker's interviews needs that step, not the transcript made beside it.
    g = parse("Identify the speaker from the recording, transcribe the recording, then search for interviews with the speaker.")
    identify, transcribe, search = g.steps
    assert g.depends_on(transcribe.id) == ()
    assert g.depends_on(search.id) == (identify.id,)
    assert "uses output of identify" in search.cues


def test_a_worded_result_wanted_in_another_medium_is_turned_into_it() -> None:
    # "with a video", "as an audio clip", "an audio summary": the words come first, then the medium.
    for task in (
        "Explain how the heat pump works with a video for the sales team.",
        "Describe the quarterly chart as an audio clip for my colleague.",
        "I need an audio summary of the board minutes.",
    ):
        g = parse(task)
        assert g.shape == "chain", task
        words, medium = g.steps
        assert g.depends_on(medium.id) == (words.id,)
        assert "wanted in another form" in medium.cues
    # A verb that already turns words into sound, a medium the user already
    # has, and a medium that names a kind of text stay one step.
    for task in (
        "Convert the release notes to speech.",
        "Explain the bug with the video I recorded.",
        "Write a summary of the paper as a podcast script.",
        "Explain the recipe using a video.",
        "Reply to the email with a recording of the demo.",
    ):
        assert parse(task).shape == "single", task
    # A medium the user has is no wanted form (its sides are read to compare them; see below).
    g = parse("Check whether the audio description matches the photo.")
    assert not any("wanted in another form" in s.cues for s in g.steps)


def test_a_spoken_result_that_describes_something_is_written_then_voiced() -> None:
    # A voice reads words it is given: the description is a step before the voicing.
    for task in (
        "Generate a speech describing the floor plan of our new office.",
        "I need an audio clip explaining the house rules for guests.",
    ):
        g = parse(task)
        assert g.shape == "chain", task
        words, voice = g.steps
        assert g.depends_on(voice.id) == (words.id,)
        assert "wanted in another form" in voice.cues
    # A video maker works from a prompt, and a speech the user has is an input.
    for task in (
        "Create a video explaining how our billing works.",
        "Transcribe the speech describing the merger.",
    ):
        assert parse(task).shape == "single", task


def test_a_thing_whose_web_address_is_stated_apart_is_downloaded_first() -> None:
    g = parse("Please pull the soundtrack out of the lecture video. The video link is https://example.org/lecture.mp4.")
    assert g.shape == "chain"
    fetch = next(s for s in g.steps if "fetched from the web first" in s.cues)
    assert fetch.verb == "download"
    assert all(g.depends_on(s.id) == (fetch.id,) for s in g.steps if s is not fetch)
    # A fetching verb whose object is the thing fetches it itself; an address
    # of something the step does not name changes nothing.
    for task in (
        "Download the video for me. The video URL is https://example.org/a.mp4.",
        "Summarise my notes. The video URL is https://example.org/a.mp4.",
    ):
        assert parse(task).shape == "single", task


def test_examples_that_start_inside_a_list_item_keep_one_pass() -> None:
    # The commas before "such as" belong to one request, not a list of subjects.
    g = parse("Please tag the words of my essay, marking figures of speech such as metaphors, similes, and irony.")
    assert g.shape == "single"
    # A plain list of subjects for a finding verb still splits.
    assert parse("Identify the owners of the billing, search, and auth services.").shape == "dag"


def test_cue_words_inside_a_quoted_text_are_not_instructions() -> None:
    # "while" inside the user's text is not a parallel cue for the request.
    g = parse(
        "Please label the sentence, marking names such as people, cities, and dates: "
        "'Ann met Bob in Rome while it rained on 3 May.'"
    )
    assert g.shape == "single"
    # Outside a quote, work named beside it still runs side by side.
    g = parse("Please label the sentence, marking names such as people, cities, and dates, while checking the spelling separately.")
    assert g.shape == "dag" and len(g.steps) == 2


def test_work_related_to_a_finding_of_a_text_reads_the_finding_first() -> None:
    # Work related to the ideas of a text: the ideas come from a reading of the text.
    for task in (
        "Suggest books relevant to the themes of this poem.",
    ):
        g = parse(task)
        assert g.shape == "chain", task
        reading = next(s for s in g.steps if "reading named by its basis" in s.cues)
        assert reading.verb == "identify"
    # Something named outright needs no reading first.
    assert parse("Find podcasts related to the history of Rome.").shape == "single"


def test_a_basis_picked_by_how_it_reads_is_read_first() -> None:
    # "the most positive review" is only known once the reviews' sentiment is read;
    # the basis is the link naming a definite thing, after "related to tourism".
    g = parse("Write a slogan related to tourism based on the most positive review.")
    assert g.shape == "chain"
    reading = next(s for s in g.steps if "reading named by its basis" in s.cues)
    assert reading.verb == "analyze"
    # A basis named outright, or "most" of something else, needs no reading.
    for task in (
        "Write a slogan related to tourism based on the review below.",
        "Write a slogan based on the most recent review.",
    ):
        assert parse(task).shape == "single", task


def test_turning_a_result_into_a_form_named_only_by_a_quality_hands_it_over() -> None:
    # "into a readable format" says how the result comes back, not into what.
    g = parse("Pull the figures out of the scanned invoice and convert them into a readable format.")
    assert g.shape == "single"
    assert "result handed back" in g.steps[0].cues
    # A named target is a step of its own.
    assert parse("Pull the figures out of the scanned invoice and convert them into a spreadsheet.").shape == "chain"


def test_a_reported_request_for_help_names_its_work() -> None:
    # The gerunds after "asking for help" are the work asked for, one step each.
    g = parse("The client sent a note asking for help renaming the invoice files and fixing the broken links.")
    assert [s.verb for s in g.steps] == ["rename", "fix"]
    g = parse("A tenant emailed asking for help with booking a plumber.")
    assert [s.verb for s in g.steps] == ["book"]


def test_a_wanted_thing_with_work_done_to_it_asks_for_that_work() -> None:
    # The participle at the end is the work; audio the user has only inside a video is taken out first.
    g = parse("I have a video of my talk, 'talk.mp4'. I need an audio file with the hum removed.")
    assert g.shape == "chain"
    take, work = sorted(g.steps, key=lambda s: len(g.depends_on(s.id)))
    assert take.verb == "extract" and work.verb == "remove"
    assert g.depends_on(work.id) == (take.id,)
    # A user who has the audio itself needs nothing taken out.
    g = parse("I have a recording 'talk.wav' and a video 'talk.mp4'. I need an audio file with the hum removed.")
    assert [s.verb for s in g.steps] == ["remove"]


def test_a_quoted_text_that_ends_a_sentence_ends_it_though_dropped() -> None:
    from planner.parser.segment import sentences

    # The data after "text:" is dropped, but its own full stop still ends the sentence.
    assert len(sentences("Here is the text: 'It works.' Please shorten it.")) == 2
    assert len(sentences("Here is the text: 'it works' and please shorten it.")) == 1
    # So a call for help that the next sentence spells out is one request.
    g = parse("I need assistance in checking this paragraph: 'Its a nice day.' Please correct the grammar in this paragraph.")
    assert g.shape == "single"


def test_a_request_that_adds_or_orders_work_is_no_repeat_of_the_wish() -> None:
    # "Additionally" adds work about the same place; it does not say the wish again.
    g = parse("I would like to find how far the museum is from the hotel. Additionally, can you book a taxi to the museum?")
    assert len(g.steps) == 2
    # "But first" puts a step before the wish, which stays work of its own.
    g = parse("I would like to have a poster printed from my sketch. But first, please fix the spelling in it.")
    assert sorted(s.verb or "" for s in g.steps) == ["fix", "print"]


def test_a_same_category_question_classifies_each_side_first() -> None:
    g = parse("Tell me whether the new logo and the old banner belong to the same style.")
    assert g.shape == "dag"
    sides = [s for s in g.steps if "classified to compare" in s.cues]
    assert len(sides) == 2 and all(s.verb == "classify" and not g.depends_on(s.id) for s in sides)
    question = next(s for s in g.steps if s not in sides)
    assert set(g.depends_on(question.id)) == {s.id for s in sides}
    # "the same" of something else is no such question.
    assert parse("Check whether the logo and the banner use the same font file.").shape == "single"


def test_a_finding_a_step_is_based_on_is_read_first() -> None:
    for task, reading in (
        ("Draw a picture based on the mood of this poem.", "analyze"),
        ("Plan my week according to the tasks detected in my notes.", "detect"),
        ("Write a reply based on the answer to my question.", "answer"),
    ):
        g = parse(task)
        assert g.shape == "chain", task
        first = next(s for s in g.steps if not g.depends_on(s.id))
        assert first.verb == reading and "reading named by its basis" in first.cues
    # The input itself, or a finding a step already made, adds no step.
    # Nor does a given topic, a thing named after work, or an answer nobody here is asked for.
    assert parse("Write a poem based on the topic 'tides'.").shape == "single"
    assert parse("Update the docs according to the classification scheme.").shape == "single"
    assert parse("Design the schema according to the answer from the DBA.").shape == "single"
    g = parse("Classify the photo and write a caption based on the classification.")
    assert [s.verb for s in g.steps] == ["classify", "write"]


def test_looking_for_a_result_names_a_wanted_result() -> None:
    g = parse("I'm looking for a short summary of this contract and would like to know how long the summary is.")
    assert g.shape == "chain"
    assert "wanted result" in g.steps[0].cues and g.steps[0].text == "a short summary of this contract"


def test_a_web_address_is_one_word() -> None:
    # "https:" is no colon that introduces data: the request after the address is kept.
    g = parse("Read the article at https://example.org/news/today and then list its main claims.")
    assert any(s.verb == "list" for s in g.steps)


def test_something_to_read_at_a_web_address_is_fetched_first() -> None:
    g = parse("Summarise the article at https://example.org/post and list its main claims.")
    assert [s.verb for s in sorted(g.steps, key=lambda s: len(nx.ancestors(g.graph, s.id)))] == [
        "download", "summarise", "list"
    ]
    assert g.shape == "chain"
    assert parse("Translate the text of the website example.org into English.").shape == "chain"
    # An errand on a site, a local file and an explicit download add nothing.
    assert parse("Order a pizza from www.dominos.com.").shape == "single"
    assert parse("Caption the photo at holiday.jpg.").shape == "single"
    assert [s.verb for s in parse("Download the page at https://example.org and summarise it.").steps] == [
        "download", "summarise"
    ]




def test_a_web_address_given_in_its_own_sentence_is_fetched_first() -> None:
    g = parse("Count the quotes in the article about the election. The article link is https://example.org/talk")
    fetch = next(s for s in g.steps if s.verb == "download")
    work = next(s for s in g.steps if s.verb == "count")
    assert "fetched from the web first" in fetch.cues and g.depends_on(work.id) == (fetch.id,)
    assert g.shape == "chain"
    # "get the sound from the video" takes a part of the video, which must be fetched first.
    assert parse("Get the sound from the video, please. The video URL: https://example.org/v.mp4").shape == "chain"
    # A step that fetches the thing itself needs no second fetch; an address for something else adds none.
    assert [s.verb for s in parse("Download the video. The video URL is https://example.org/v.mp4").steps] == ["download"]
    assert parse("Proofread my essay. The blog link is https://example.org/me").shape == "single"


def test_a_basis_naming_an_extraction_no_step_made_adds_it_from_the_users_material() -> None:
    g = parse("I have an essay 'essay.txt'. Summarize it and design a poster based on the extracted keywords.")
    extract = next(s for s in g.steps if s.verb == "extract")
    poster = next(s for s in g.steps if s.verb == "design")
    summary = next(s for s in g.steps if s.verb == "summarize")
    assert "reading named by its basis" in extract.cues and not g.depends_on(extract.id)
    assert set(g.depends_on(poster.id)) == {extract.id, summary.id}
    assert g.shape == "dag"
    # A step that already took the words out is simply read.
    g = parse("Extract the keywords from my essay and design a poster based on the extracted keywords.")
    assert [s.verb for s in g.steps] == ["extract", "design"] and g.shape == "chain"




def test_work_related_to_a_finding_of_the_input_reads_it_first() -> None:
    g = parse("Find some songs related to the main themes explored in my poem.")
    find = next(s for s in g.steps if s.verb == "find")
    reading = next(s for s in g.steps if s.verb == "identify")
    assert g.depends_on(find.id) == (reading.id,) and g.shape == "chain"
    # Related to a thing, not to a finding: one search.
    assert parse("Find some songs related to the sea.").shape == "single"


def test_a_thing_named_before_a_describing_verb_form_is_the_thing_made() -> None:
    # "have the draft proofread": the draft is the phrase's head, so the step reads the draft's maker.
    g = parse("Write the draft, summarize it, and then have the draft proofread by Anna.")
    write = next(s for s in g.steps if s.verb == "write")
    last = g.steps[-1]
    assert g.depends_on(last.id) == (write.id,) and g.shape == "dag"
    # A verb that is also a common noun stays the head: "the code review" is a review.
    g = parse("Implement the parser, write the docs, then do the code review.")
    assert g.shape == "chain"


def test_a_part_of_a_media_file_a_step_uses_is_taken_out_first() -> None:
    g = parse("Make a slideshow using a still image from clip.mp4 and my photo.")
    assert g.shape == "chain"
    taken, show = sorted(g.steps, key=lambda s: len(g.depends_on(s.id)))
    assert taken.verb == "extract" and "part taken out first" in taken.cues
    assert g.depends_on(show.id) == (taken.id,)
    # Out of the user's own file it waits for no earlier step; the step using it joins both.
    g = parse("Translate the caption into German, then compare the translated caption with the text from the poster image.")
    extract = next(s for s in g.steps if s.verb == "extract")
    compare = next(s for s in g.steps if s.verb == "compare")
    assert not g.depends_on(extract.id) and extract.id in g.depends_on(compare.id)
    # The step's own object is no part to take out first.
    assert parse("Transcribe the speech from the video.").shape == "single"
    assert parse("Compare the text in the scanned letter with the reference text.").shape == "single"


def test_comparing_with_the_original_follows_what_was_made() -> None:
    g = parse("Shorten the abstract, translate it into French and compare the similarity with the original text.")
    assert g.shape == "chain"
    compare = g.steps[-1]
    assert compare.verb == "compare" and "works on the original input" not in compare.cues
    # Other work on the original still starts from the input.
    g = parse("Shorten the abstract, translate it into French and proofread the original text.")
    assert "works on the original input" in g.steps[-1].cues and not g.depends_on(g.steps[-1].id)


def test_an_arranged_review_followed_by_more_work_lists_nothing() -> None:
    # The list after "have it reviewed" would be the reviewers; here the commas start new work.
    g = parse("Write a first version, have it reviewed, address the comments, and repeat once more")
    assert g.shape == "chain"
    assert [s.verb for s in g.steps][:3] == ["write", "review", "address"]


def test_verbs_that_are_also_nouns_read_by_position() -> None:
    assert [s.verb for s in parse("Find the IP address of the host and block it").steps] == ["find", "block"]
    assert len(parse("Remove the code block from the README").steps) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Write the style guide, have the editors review it, and revise it until they sign off",
        "Draft the rollout plan, get it reviewed by ops, incorporate the changes, and send it out",
    ],
)
def test_rework_after_a_review_acts_on_what_the_review_found(text: str) -> None:
    g = parse(text)
    assert g.shape == "chain"
    review = next(s for s in g.steps if s.verb == "review")
    after = g.steps[g.steps.index(review) + 1]
    assert g.depends_on(after.id) == (review.id,)


def test_a_definite_thing_no_one_gave_is_what_the_step_before_made() -> None:
    g = parse("Export the sales logs, count the orders per region, and email the table to finance")
    assert g.shape == "chain"


def test_an_extra_request_about_quoted_data_after_its_colon_starts_from_the_input() -> None:
    # The question after "the question:" is what the step works on; no step used it yet.
    g = parse("Draft a welcome note for the new hires. Also answer the question: 'Which room is booked for Friday?'")
    _note, answer = g.steps
    assert g.shape == "dag" and not g.depends_on(answer.id)
    assert "works on the original input" in answer.cues
    # The same question already worked on by an earlier step is no new input.
    g = parse(
        "Translate the question 'Which room is booked for Friday?' into Dutch. "
        "Also answer the question: 'Which room is booked for Friday?'"
    )
    assert g.shape == "chain"
    # A file named in unquoted data after the colon counts as well.
    g = parse("Summarise the meeting notes. Also review the spreadsheet: budget.xlsx")
    assert g.shape == "dag"


def test_also_inside_a_wish_marks_an_extra_request() -> None:
    # "I also want to" adds work of its own: it is not groundwork moved in front
    # of the clause before it, and on a file no step used it starts from the input.
    g = parse("I want to write a cover letter from my notes, and I also want to research the firm in brochure.pdf.")
    write, research = g.steps
    assert write.verb == "write" and research.verb == "research"
    assert g.shape == "dag" and not g.depends_on(research.id)
    # Without "also", research named after the writing still comes first.
    g = parse("I want to write a cover letter and research the firm.")
    write, research = g.steps
    assert g.depends_on(write.id) == (research.id,) and not g.depends_on(research.id)
    g = parse("I want to write a cover letter, and I also want to research the firm.")
    write, research = g.steps
    assert not g.depends_on(write.id)


def test_a_picture_or_sound_is_put_into_words_before_it_is_compared() -> None:
    # Both sides are the user's files of other kinds than words: each is read, then compared.
    g = parse("Check whether the voice memo matches the photo.")
    check = next(s for s in g.steps if s.verb == "check")
    readers = sorted(s.verb for s in g.steps if "put into words to compare" in s.cues)
    assert readers == ["describe", "transcribe"] and len(g.depends_on(check.id)) == 2
    assert g.shape == "dag"
    # A written result compared with a recording: the recording is transcribed beside it.
    g = parse("Write a short speech for the gala and compare it with the audio of last year's toast.")
    compare = next(s for s in g.steps if s.verb == "compare")
    assert {g.step(d).verb for d in g.depends_on(compare.id)} == {"write", "transcribe"}
    # A step's own result, words, and "to match" as a goal add no reading.
    assert parse("Edit the photo, then compare the edited photo with the sketch.").shape == "chain"
    assert parse("Compare the caption with the reference text.").shape == "single"
    assert parse("Resize the logo to match the banner.").shape == "single"
    # Two things of one kind are compared as they are.
    assert parse("Compare the screenshot with the photo from the brochure.").shape == "single"


def test_finding_out_whether_is_a_check() -> None:
    # A check leaves its input as it was: a look at the same input runs beside it.
    g = parse("Find out whether the essay follows the style guide and count the words in it.")
    check, count = g.steps
    assert check.verb == "check" and count.verb == "count"
    assert not g.depends_on(count.id) and g.shape == "dag"
    g = parse("Find if the invoice matches the order.")
    assert [s.verb for s in g.steps] == ["check"]
    # Finding a thing is still a search.
    assert [s.verb for s in parse("Find a hotel near the venue.").steps] == ["find"]


def test_a_look_at_what_the_clause_before_changed_stays_after_it() -> None:
    # Detecting the cars after changing their colour looks at the changed photo.
    g = parse("Change the colour of the cars to red and detect the cars in the street photo.")
    change, detect = g.steps
    assert change.verb == "change" and g.depends_on(detect.id) == (change.id,)
    # Research about other things still comes before the work it informs.
    g = parse("Write the report and research the vendors.")
    write, research = g.steps
    assert g.depends_on(write.id) == (research.id,)


def test_an_extra_request_on_a_file_a_step_only_looked_at_starts_from_the_input() -> None:
    # Identifying the people left the photo as it was: the extra request reads the user's photo.
    g = parse("Identify the people in pier.jpg, then write a poem about them. Additionally, crop the borders of pier.jpg.")
    crop = g.steps[-1]
    assert "works on the original input" in crop.cues and not g.depends_on(crop.id)
    # After a step that changed the file, the extra request works on the changed one.
    g = parse("Crop the borders of pier.jpg, then write a poem about it. Additionally, blur the faces in pier.jpg.")
    blur = g.steps[-1]
    assert "works on the original input" not in blur.cues and g.depends_on(blur.id)


def test_a_kind_word_after_a_step_that_made_that_kind_names_its_result() -> None:
    # "the audio" is the mix just made, though the video beside it is the user's.
    g = parse("I have a video of the launch. Mix the voiceover with the music, then sync the audio with the video.")
    mix, sync = g.steps
    assert g.depends_on(sync.id) == (mix.id,) and "works on a given input" not in sync.cues
    # After a step of another kind, the user's video is still the given one.
    g = parse("I have a video of the launch. Write a blog post about the launch, then trim the video.")
    assert "works on a given input" in g.steps[-1].cues


def test_a_part_the_user_says_sits_inside_a_media_file_is_taken_out_first() -> None:
    for task, taker in (
        ("I have a photo with a poem written on it. Translate the poem into Italian.", "extract"),
        ("I have a video containing a speech by the mayor. Summarize the speech.", "transcribe"),
    ):
        g = parse(task)
        assert g.shape == "chain", task
        first, second = g.steps if g.steps[0].verb == taker else reversed(g.steps)
        assert first.verb == taker and "part of a given file taken out first" in first.cues
        assert g.depends_on(second.id) == (first.id,)
    # A step that takes it out itself, or a part not inside a media file, needs nothing more.
    assert parse("I have a photo with a poem written on it. Extract the poem.").shape == "single"
    assert parse("I have a poem about the sea. Translate the poem into Italian.").shape == "single"


def test_a_fix_after_a_check_follows_what_the_check_found() -> None:
    for task in (
        "Check whether the login bug still exists in version 2.0 and fix it.",
        "Find out whether the export still crashes and repair it.",
    ):
        g = parse(task)
        look, fix = g.steps
        assert g.shape == "chain" and g.depends_on(fix.id) == (look.id,), task
    # Another look at the same input still runs beside the check.
    assert parse("Check whether the essay follows the style guide and count the words in it.").shape == "dag"


def test_a_changed_version_a_step_uses_is_made_first() -> None:
    g = parse("Make a slideshow using a colorized version of old.jpg and my new photo.")
    colorize = next(s for s in g.steps if s.verb == "colorize")
    show = next(s for s in g.steps if s.verb == "make")
    assert "version made first" in colorize.cues and g.depends_on(show.id) == (colorize.id,)
    # A version that is the step's own product is one step.
    assert parse("Write a shortened version of the essay.").shape == "single"
    assert parse("Create a translated version of the menu for the tourists.").shape == "single"


def test_counted_workers_of_arranged_work_are_counted() -> None:
    # "have two writers each draft it": two drafts side by side, then the comparison
    g = parse("Have two writers each draft the welcome email, then compare the drafts and send the better one.")
    drafts = [s for s in g.steps if s.verb == "draft"]
    assert len(drafts) == 2 and all(g.depends_on(s.id) == () for s in drafts)


def test_a_thing_inside_a_recording_is_reached_through_the_step_that_read_it() -> None:
    # The shopping list is inside the recording: analysing the recording is
    # what turns it into words a summary can read.
    g = parse(
        "I have a recording memo.wav. The recording contains a shopping list. "
        "Please analyze the recording, summarize the shopping list, and email the summary to Ann."
    )
    analyze, summarize, _email = g.steps
    assert g.depends_on(summarize.id) == (analyze.id,) and g.shape == "chain"
    # A list handed over beside the recording is read as it is.
    g = parse(
        "I have a recording memo.wav and a shopping list. "
        "Please analyze the recording, summarize the shopping list, and email the summary to Ann."
    )
    analyze, summarize, _email = g.steps
    assert g.depends_on(summarize.id) == ()


def test_a_thing_of_the_kind_just_made_that_the_user_never_gave_is_that_result() -> None:
    # No audio was handed over by that name: "the audio" is the mix.
    g = parse("I have a song intro.wav and a clip party.mp4. Mix the song with a drum loop, and sync the audio with the clip.")
    mix, sync = g.steps
    assert g.depends_on(sync.id) == (mix.id,)
    # After a summary (text), the same words read the user's files beside it.
    g = parse("I have a song intro.wav and a clip party.mp4. Summarize the lyrics of the song, and sync the audio with the clip.")
    _summary, sync = g.steps
    assert g.depends_on(sync.id) == ()


@pytest.mark.parametrize(
    ("text", "n_steps"),
    [
        # A quality of the result is how it is handed over, not a new thing.
        ("Extract the tables from report.pdf and convert them into a readable format.", 1),
        ("Transcribe the call and turn it into a more readable form.", 1),
        # A medium or a file type is a conversion of its own.
        ("Extract the tables from report.pdf and convert them into a CSV format.", 2),
        ("Transcribe the call and turn it into an audio form.", 2),
    ],
)
def test_converting_a_result_into_a_quality_is_no_step(text: str, n_steps: int) -> None:
    assert len(parse(text).steps) == n_steps


def test_a_verb_whose_noun_is_another_thing_names_no_result() -> None:
    # Booking a hotel makes a booking, not a book.
    g = parse("Book a hotel in Oslo, rent a car at the airport, and return the book to the library.")
    book, rent, give_back = g.steps
    assert g.depends_on(give_back.id) == (rent.id,) and g.shape == "chain"
    assert book.verb == "book"
    # An outline is what outlining makes, so "the outline" later is that result.
    g = parse("Outline the article, write the introduction, and check the outline against the brief.")
    outline, _intro, check = g.steps
    assert outline.id in g.depends_on(check.id)


def test_a_quoted_passage_gives_no_cue() -> None:
    # "while" inside the quoted note is data; the request is one pass over the note.
    g = parse("Find the dates, names and places in this note: 'Ann met Bo in Oslo on May 5 while it rained.'")
    assert len(g.steps) == 1


def test_a_list_that_goes_on_after_such_as_is_the_examples() -> None:
    # "dates, names, and places" are examples of the entities, not more things to label.
    g = parse("I need to label its words, marking entities such as dates, names, and places.")
    assert len(g.steps) == 1
    # A list closed before "such as" keeps its own items.
    g = parse("Research Stripe, Adyen, and banks such as Chase, Citi, and Wells.")
    assert [s.id for s in g.steps][:2] == ["research-stripe", "research-adyen"]


def test_doing_the_tasks_already_named_adds_no_step() -> None:
    g = parse("Resize the photo, add a caption, and then post it. Please perform these tasks with the tools you have.")
    assert [s.verb for s in g.steps] == ["resize", "add", "post"] and g.shape == "chain"
    g = parse("Detect the faces and blur them. Please go through the detection and blurring steps using your tools.")
    assert [s.verb for s in g.steps] == ["detect", "blur"]
    # A task brought in with "a", a job of its own, or steps from a source are new work.
    for text in (
        "Clean the kitchen, then perform a cleaning task in the garage.",
        "Back up the database, then complete the nightly job.",
        "Clone the repo, then follow the steps in the README.",
    ):
        assert len(parse(text).steps) == 2, text


def test_a_wish_for_a_general_look_before_a_request_names_its_goal() -> None:
    g = parse("I would like to analyze this photo. Please count the people in it, then crop the photo to the largest group.")
    assert [s.verb for s in g.steps] == ["count", "crop"]
    # With no request after it, the wish is the work.
    assert [s.verb for s in parse("I would like to analyze this photo. The people in it are my cousins.").steps] == ["analyze"]
    # A concrete wish is a step of its own.
    g = parse("I would like to crop this photo. Please count the people in it, then send it to Ann.")
    assert [s.verb for s in g.steps] == ["crop", "count", "send"]


def test_a_participle_after_a_names_the_new_result_not_an_earlier_one() -> None:
    # "a shortened summary of the report" is what the step makes; it still reads the user's report.
    g = parse(
        "I have a sales report from the last quarter. Translate the report into German, list the figures in it, "
        "and write a shortened summary of the report."
    )
    summary = g.steps[-1]
    assert "works on a given input" in summary.cues and not g.depends_on(summary.id)
    # "the shortened report" names a result a step made, so the step follows it.
    g = parse(
        "I have a sales report from the last quarter. Shorten the report, list the figures in it, "
        "and write a summary of the shortened report."
    )
    assert "works on a given input" not in g.steps[-1].cues and g.depends_on(g.steps[-1].id)


def test_links_are_taken_out_of_the_passage_not_out_of_a_keyword_list() -> None:
    # The keyword list holds no links: the links come from the transcript it was picked from.
    g = parse("Transcribe the lecture recording, pull out the main keywords, and then extract any links.")
    transcribe, keywords, links = g.steps
    assert g.depends_on(links.id) == (transcribe.id,) and g.depends_on(keywords.id) == (transcribe.id,)
    # A summary is a passage of text, so the links are taken out of it.
    g = parse("Transcribe the lecture recording, summarize it, and then extract any links.")
    assert g.shape == "chain"
    # Keywords are still written words: written on a photo, they are taken out of it first.
    g = parse("I have a photo with some keywords written on it. Translate the keywords into French.")
    assert g.shape == "chain" and any(s.verb == "extract" and "part of a given file taken out first" in s.cues for s in g.steps)


def test_a_phrase_ends_at_as_or_like_so_its_noun_still_names_the_given_thing() -> None:
    # "the meeting as an email": the note is about the user's meeting, as without "as an email".
    for tail in ("", " as an email", " like a memo"):
        g = parse(f"I have a recording of the team meeting. Identify the speakers and write a short note about the meeting{tail}.")
        note = g.steps[-1]
        assert "works on a given input" in note.cues and not g.depends_on(note.id), tail
    # "accordingly" acts on what the step before found.
    g = parse("I have a photo of a bookshelf. Count the books and crop the photo accordingly.")
    count, crop = g.steps
    assert g.depends_on(crop.id) == (count.id,)


def test_whether_two_things_share_a_finding_reads_each_first() -> None:
    for task, reader in (
        ("I have a photo and a chart. Check whether the photo and the chart belong to the same category.", "classify"),
        ("Find out if the email and the recording have the same sentiment.", "analyze"),
    ):
        g = parse(task)
        readers = [s for s in g.steps if "read to compare a finding" in s.cues]
        assert [s.verb for s in readers] == [reader, reader], task
        assert all(g.depends_on(s.id) == () for s in readers)
        question = next(s for s in g.steps if s not in readers)
        assert set(g.depends_on(question.id)) == {s.id for s in readers} and g.shape == "dag"
    # A side that is a step's result, or "the same" without a finding, adds no reading.
    assert parse("Check whether the edited photo and the chart belong to the same category.").shape == "single"
    assert parse("Resize the photo and the chart to the same size.").shape == "single"


def test_a_second_look_at_the_users_file_after_then_runs_beside_the_first() -> None:
    for task in (
        "I have a photo of my garden. Detect the flowers in it, then classify the photo.",
        "I have a photo. Detect the faces, then answer the question 'How many people are in the photo?'",
    ):
        g = parse(task)
        assert g.shape == "dag" and all(g.depends_on(s.id) == () for s in g.steps), task
    # A look at what the first look found, or after a step that changed the file, still follows it.
    assert parse("I have a photo. Detect the faces, then count them.").shape == "chain"
    assert parse("I have a photo. Crop the photo, then classify the photo.").shape == "chain"
    assert parse("I have a photo. Detect the faces, then classify the edited photo.").shape == "chain"


def test_tell_me_the_answer_is_the_answering() -> None:
    assert parse("Tell me the answer to this riddle: what has keys but no locks?").steps[0].verb == "answer"
    # Telling something that is no look's result stays telling; after a change the answer follows it.
    assert parse("Tell me a story about dragons.").steps[0].verb == "tell"


def test_an_edit_of_what_a_look_read_runs_beside_the_look_after_then() -> None:
    # The look changed nothing and the edit states its own aim, so "edit it"
    # works on the user's picture or recording itself.
    for task in (
        "I have a photo of my desk. Classify it, then edit it to make the lamp red.",
        "I have a recording of my talk. Detect the language, then trim it to keep the first minute.",
    ):
        g = parse(task)
        first, second = g.steps[0], g.steps[1]
        assert g.depends_on(second.id) == () and g.depends_on(first.id) == (), task
    # A new thing made from it ("translate it", "turn it into audio"), a step that
    # names the finding, or an edit after a change keeps the order.
    assert parse("I have a recording. Check its quality, then translate it into French.").shape == "chain"
    assert parse("Classify the essay, then turn it into a podcast episode.").shape == "chain"
    assert parse("Detect the faces in my photo, then blur them.").shape == "chain"
    assert parse("Generate an image of a lighthouse, then edit it to add fog.").shape == "chain"
    # Without an aim of its own the change acts on what the look found; code and text keep the order.
    assert parse("I have a photo. Classify it, then crop it.").shape == "chain"
    assert parse("Measure the page load time, then optimize it.").shape == "chain"
    assert parse("Check the spelling of my essay, then reformat it to use double spacing.").shape == "chain"


def test_a_participle_after_a_noun_describes_the_result_it_names() -> None:
    # "the transcript read aloud" names the transcript, so reading it aloud
    # uses the transcription, beside the look at the transcript.
    for task in (
        "Transcribe the interview, find the names of the speakers in the transcript, and then have the transcript read aloud.",
        "Write a summary of the report, list the risks in the summary, and then get the summary printed.",
    ):
        g = parse(task)
        first, look, last = g.steps
        assert g.depends_on(last.id) == (first.id,) and g.depends_on(look.id) == (first.id,), task
    # What the look found, named after it, still follows the look.
    assert parse("Transcribe the interview, list the names in the transcript, and then have the names read aloud.").shape == "chain"


def test_what_the_user_will_do_with_their_thing_is_no_step() -> None:
    # "a report that I need to send": the sending is the user's own plan once the work is done.
    g = parse("I have a report that I need to send to my boss. Please proofread it.")
    assert [s.verb for s in g.steps] == ["proofread"]
    g = parse("I have a video that I want to upload to my channel. Please trim it and add captions.")
    assert [s.verb for s in g.steps] == ["trim", "add"]
    # Work in such a clause ("a photo that I want to crop") is still asked for.
    assert "crop" in [s.verb for s in parse("I have a photo that I want to crop. Please also add a caption.").steps]


def test_a_request_that_makes_the_wished_result_is_that_result() -> None:
    # "I need a shorter version. Please write a summarized version": one result, asked for twice.
    g = parse("I need a shorter version of my essay. Please write a summarized version of the following text: 'Cats sleep a lot.'")
    assert len(g.steps) == 1 and g.steps[0].verb == "write"
    assert len(parse("I need a logo for the shop. Please design a new logo with blue colours.").steps) == 1
    # A request for another thing is more work.
    assert parse("I need a summary of the report. Please write a poem about it.").shape == "chain"
    assert parse("I need a summary of the report. Please draw a chart of the sales.").shape != "single"
    assert len(parse("I need a report on sales. Please write a report on costs.").steps) == 2


@pytest.mark.parametrize(
    ("text", "n_steps"),
    [
        ("Review the migration script and suggest improvements", 1),
        ("Proofread my cover letter and propose any corrections", 1),
        # making the fixes is work of its own
        ("Proofread my cover letter and fix the mistakes", 2),
    ],
)
def test_suggested_fixes_are_the_looks_own_report(text: str, n_steps: int) -> None:
    assert len(parse(text).steps) == n_steps


def test_a_wish_to_make_sure_before_a_request_is_its_goal() -> None:
    g = parse("I want to make sure my essay has no spelling mistakes. Please proofread it.")
    assert [s.verb for s in g.steps] == ["proofread"]


def test_a_time_or_place_phrase_is_no_step() -> None:
    g = parse("Deploy the release. During the rollout, watch the error dashboard.")
    assert [s.verb for s in g.steps] == ["deploy", "watch"]
    g = parse("Book a train to Lyon. Once aboard the train, draft the quarterly report.")
    assert [s.verb for s in g.steps] == ["book", "draft"]
    # An unknown word opening a sentence before "the" is still read as a command.
    assert parse("Shortlist the candidates.").steps[0].verb == "shortlist"


def test_a_passive_names_its_work_through_irregular_participles_and_particles() -> None:
    assert [s.verb for s in parse("I'd like the demo video to be sped up.").steps] == ["speed"]
    g = parse("The release notes need to be cleaned up and sent to the team.")
    assert [s.verb for s in g.steps] == ["clean", "send"] and g.shape == "chain"
    assert [s.verb for s in parse("The intro clip needs to be sped up and trimmed.").steps] == ["speed", "trim"]


def test_a_request_timed_after_an_event_is_not_the_wish_said_again() -> None:
    g = parse("I need to draft the release notes. After I merge the branch, please send the release email.")
    assert [s.verb for s in g.steps] == ["draft", "send"]
    # The same wish asked again politely is still one step.
    assert len(parse("I want to speed up the video. Please adjust the video speed for me.").steps) == 1


def test_help_then_to_asks_for_the_work_after_it() -> None:
    g = parse("I need help to proofread my cover letter: 'Dear hiring manger, ...'")
    assert [s.verb for s in g.steps] == ["proofread"]


def test_a_repeated_to_after_and_starts_the_next_request() -> None:
    g = parse("I want to build the site and to deploy it.")
    assert [s.verb for s in g.steps] == ["build", "deploy"] and g.shape == "chain"
    g = parse("I need to proofread my essay and then to submit it.")
    assert [s.verb for s in g.steps] == ["proofread", "submit"]
    # "to" before a place is no request.
    assert [s.verb for s in parse("Send the invoice to Bob and to Alice.").steps] == ["send"]


def test_use_x_to_do_y_is_the_doing() -> None:
    g = parse("Use the meeting notes to draft a reply to the client, then proofread it.")
    assert [s.verb for s in g.steps] == ["draft", "proofread"] and g.shape == "chain"
    g = parse("Use my notes to write a summary. Then translate the written summary into Spanish.")
    assert [s.verb for s in g.steps] == ["write", "translate"]
    # Without a work verb after "to", using something stays the step.
    assert parse("Use the old report as a template.").steps[0].verb == "use"


def test_i_wonder_if_you_could_is_a_polite_request() -> None:
    g = parse("I was wondering if you could review my pull request and then merge it.")
    assert [s.verb for s in g.steps] == ["review", "merge"] and g.shape == "chain"


def test_help_with_a_piece_of_work_asks_for_that_work() -> None:
    assert [s.verb for s in parse("I need help with my tax question.").steps] == ["answer"]
    assert [s.verb for s in parse("Please help me with the translation of this letter.").steps] == ["translate"]
    # Help with a thing that is no piece of work, or a noun that only describes the head, asks for nothing named.
    assert parse("I need help with a data analysis project.").steps[0].verb is None


def test_a_clause_of_time_after_and_is_no_list_item() -> None:
    g = parse("I want to run the tests, and while I do that, please update the changelog.")
    assert [s.verb for s in g.steps] == ["run", "update"]
    assert all(s.group is None for s in g.steps)


def test_a_capitalised_cue_word_before_a_number_is_a_name() -> None:
    g = parse("Read the release notes of Vue 3, Angular 17 and Next 14 and list what breaks for us.")
    assert [s.text for s in g.steps if s.group] == ["Vue 3", "Angular 17", "Next 14"]
    # Written as a cue word, it still orders the work.
    assert parse("Write the tests and then run them.").shape == "chain"


def test_a_re_verb_is_the_verb_again_not_an_inflected_form() -> None:
    g = parse("1. Export the tables\n2. Rebuild the reports\n")
    assert [s.verb for s in g.steps] == ["export", "build"]


def test_load_is_a_verb_and_a_noun() -> None:
    g = parse("Export the orders, then load them into the warehouse.")
    assert [s.verb for s in g.steps] == ["export", "load"] and g.shape == "chain"
    assert [s.verb for s in parse("Run a load test on the API.").steps] == ["run"]


def test_a_capitalised_word_before_a_noun_mid_sentence_is_a_name() -> None:
    g = parse("Audit the licenses in our Rust, Swift and Go packages and list the copyleft ones.")
    assert [s.text for s in g.steps if s.group] == ["our Rust", "Swift", "Go packages"]
    # A capitalised verb before its object still starts a step.
    assert [s.verb for s in parse("Export the tables and Load them into the warehouse.").steps] == ["export", "load"]


def test_a_second_noun_after_a_possessive_is_not_a_verb() -> None:
    g = parse("Record the podcast and adjust the host's tone and pitch to sound warmer.")
    assert [s.verb for s in g.steps] == ["record", "adjust"]
    # Before its own object the word is still a verb.
    assert [s.verb for s in parse("Open the app's settings and test the login.").steps] == ["open", "test"]


def test_a_wish_for_someone_to_do_work_names_that_work() -> None:
    g = parse("I need the build server to compile the release, then I want to publish it.")
    assert [s.verb for s in g.steps] == ["compile", "publish"] and g.shape == "chain"
    assert [s.verb for s in parse("I would like a robot to clean the floor.").steps] == ["clean"]
    # A wished quality is still no work.
    assert parse("I need the titles to be short.").steps[0].verb is None


def test_the_download_step_names_a_quoted_address() -> None:
    g = parse("Please summarize the post at 'https://blog.example.org/launch'.")
    fetch = next(s for s in g.steps if s.verb == "download")
    assert "https://blog.example.org/launch" in fetch.text


def test_someone_to_do_work_allows_an_adverb_and_a_subjectless_need() -> None:
    g = parse("I have a repo and need a bot to first label the issues and then close the stale ones.")
    assert [s.verb for s in g.steps] == ["label", "close"]
    assert [s.verb for s in parse("I need a script to quickly rename the files.").steps] == ["rename"]


def test_a_phrase_with_a_participle_names_one_result_not_also_its_head() -> None:
    g = parse("Download the notes from example.org, shorten them, look up a matching photo, and write a caption with the shortened notes.")
    write = next(s for s in g.steps if s.verb == "write")
    assert g.depends_on(write.id) == ("shorten-them",)


def test_a_heading_with_a_list_names_the_lanes_the_later_work_runs_for() -> None:
    for verb in ("Rebuild", "Update"):
        g = parse(f"{verb} the three reports (sales, support, finance): for each of them, fix the queries and check the totals, then publish them together")
        group = [s for s in g.steps if s.group]
        assert len(group) >= 6 and g.shape == "dag", verb
    # A heading without a list still only names the whole.
    assert parse("Implement the feature: find the code, design the change, build it.").shape == "chain"


def test_compute_and_calculate_are_verbs() -> None:
    g = parse("Load the logs, then compute error rates per service.")
    assert [s.verb for s in g.steps] == ["load", "compute"]
    assert parse("Calculate the total cost of the order.").steps[0].verb == "calculate"


def test_data_changing_verbs_start_steps() -> None:
    g = parse("Export the customer table, anonymize the phone numbers, load the result into the warehouse and refresh the reports.")
    assert [s.verb for s in g.steps] == ["export", "anonymize", "load", "refresh"] and g.shape == "chain"


def test_along_with_joins_two_wanted_results_like_and() -> None:
    g = parse("I need a summary of the report along with a chart of the totals")
    assert len(g.steps) == 2 and g.shape == "dag"


def test_a_participle_before_a_noun_is_no_arranged_work() -> None:
    # "have a summarized version" wants a thing; "have it summarized" asks for the work
    assert parse("Please have the notes summarized by Friday").steps[0].verb == "summarize"


@pytest.mark.parametrize(
    ("text", "verbs"),
    [
        ("Send the draft to legal for review, then publish it", ["review", "publish"]),
        ("Circulate the proposal to the team leads for comments and apply their feedback", ["review", "apply"]),
        ("Send the invoice to the client", ["send"]),
    ],
)
def test_handing_work_over_for_feedback_is_a_review(text: str, verbs: list[str]) -> None:
    assert [s.verb for s in parse(text).steps] == verbs


def test_material_given_in_one_language_and_used_in_another_is_translated_first() -> None:
    g = parse("I have the release notes in German. Post them on the forum in English.")
    post = next(s for s in g.steps if s.verb == "post")
    translate = next(s for s in g.steps if s.verb == "translate")
    assert len(g.steps) == 2 and g.shape == "chain" and g.depends_on(post.id) == (translate.id,)
    # Writing something new in a language, or a language the material was already in, adds nothing.
    assert [s.verb for s in parse("I have the release notes in German. Write a reply in French.").steps] == ["write"]
    assert [s.verb for s in parse("I have the release notes in German. Post them on the forum in German.").steps] == ["post"]
    assert [s.verb for s in parse("Post the release notes on the forum in English.").steps] == ["post"]
