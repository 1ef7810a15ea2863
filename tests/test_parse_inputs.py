"""Dependencies from what a step reads: the user's given input or an earlier result."""

from __future__ import annotations

from planner.parser import parse


def deps(task: str) -> dict[str, tuple[str, ...]]:
    g = parse(task)
    return {s.id: g.depends_on(s.id) for s in g.steps}


def test_second_look_at_a_given_photo_runs_beside_the_first() -> None:
    g = parse("I have a photo of the team. Count the faces, then caption the photo.")
    assert g.shape == "dag"
    assert all(not g.depends_on(s.id) for s in g.steps)
    assert "works on a given input" in g.steps[1].cues


def test_changing_the_given_input_makes_it_a_product() -> None:
    # Cropping changes the photo: "the photo" afterwards is the cropped one.
    g = parse("I have a photo of the team. Crop the photo, then caption the photo.")
    assert g.shape == "chain"
    assert g.depends_on(g.steps[1].id) == (g.steps[0].id,)


def test_named_file_given_before_the_request_is_read_directly() -> None:
    g = parse("My lecture is in 'talk.wav'. Transcribe the speech from 'talk.wav' and detect the language spoken in 'talk.wav'.")
    assert len(g.steps) == 2 and g.shape == "dag"


def test_reference_to_a_generated_result_still_chains() -> None:
    g = parse("Generate an image of a cat, then detect objects in the generated image.")
    assert g.shape == "chain"


def test_pronoun_after_an_inspection_means_the_input() -> None:
    # "Its tone" is inspected; "rephrase it" is about the same letter, not the tone.
    g = parse("Here is my letter: 'We regret the delay.' Assess its tone and rephrase it.")
    assert g.shape == "dag"
    assert all(not g.depends_on(s.id) for s in g.steps)


def test_pipeline_without_given_inputs_keeps_text_order() -> None:
    d = deps("Scrape the site, clean the data, then train a model on it.")
    assert list(d.values()) == [(), ("scrape-site",), ("clean-data",)]


def test_condition_lead_keeps_the_step_after_its_trigger() -> None:
    g = parse("I have a video 'demo.mp4'. Upload the video. Once the upload is done, share the video with the team.")
    assert g.shape == "chain"


def test_new_object_of_the_same_kind_is_not_the_given_one() -> None:
    # "a short summary" is something to make, not the user's summary: it follows the reading.
    g = parse("I have a summary of the talk in notes.txt. Read the slides, then write a short summary.")
    assert g.shape == "chain"


def test_subject_of_an_earlier_product_is_not_the_raw_input() -> None:
    # After "find the video link", "the video" is the one the link points to.
    g = parse("I have a message with a video link in it. Find the video link, then download the video.")
    assert g.shape == "chain"


def test_pronoun_goes_to_the_step_just_before_not_every_open_branch() -> None:
    g = parse("Here is a review: 'The food was cold.' Classify its sentiment, translate it into German and read it aloud.")
    _classify, translate, read = g.steps
    assert not g.depends_on(translate.id)
    assert g.depends_on(read.id) == (translate.id,)


def test_given_input_named_in_a_prepositional_phrase() -> None:
    # The object ("the speech") is new, but it comes from the video the user has.
    g = parse("I have a video of my talk. Measure the loudness of the video and transcribe the speech from the video.")
    assert g.shape == "dag"
    assert all(not g.depends_on(s.id) for s in g.steps)


def test_handing_back_the_result_is_part_of_the_step() -> None:
    for task in (
        "Please detect the faces in 'team.png' and show me the result.",
        "Turn this note into speech: 'Back at five.' and save it as 'note.wav'.",
        "Blur the background of 'me.jpg' and return the blurred picture.",
    ):
        g = parse(task)
        assert g.shape == "single", task
        assert "result handed back" in g.steps[0].cues


def test_giving_something_new_is_a_step() -> None:
    g = parse("Detect the faces in 'team.png' and give me a short poem about the team.")
    assert len(g.steps) == 2


def test_polite_request_repeating_the_wish_is_one_step() -> None:
    g = parse("I want to brighten my photo 'beach.png'. Please help me make the photo brighter.")
    assert g.shape == "single"
    assert "asked again" in g.steps[0].cues


def test_polite_request_about_the_result_is_a_second_step() -> None:
    assert parse("I want to translate my letter 'note.txt'. Please help me shorten the translated letter.").shape == "chain"
    # A new quoted input is new work too.
    assert len(parse("I want to brighten my photo 'beach.png'. Please brighten the photo 'hill.png' as well.").steps) == 2


def test_words_for_the_users_input_start_a_branch() -> None:
    g = parse("Sharpen the logo and crop the given photo to a square.")
    assert g.shape == "dag"
    # "it" and "provided by" tie the step to earlier work.
    assert parse("Sharpen the logo and combine it with the given photo.").shape == "chain"
    assert parse("Call the lawyer and print the advice provided by the lawyer.").shape == "chain"


def test_what_a_conversion_makes_is_its_product() -> None:
    # "the chart" is what the conversion made, so reading it follows the conversion.
    g = parse("I have a table 'sales.csv'. Convert the table into a bar chart, and describe the trend in the chart.")
    convert, describe = g.steps
    assert g.depends_on(describe.id) == (convert.id,)


def test_wanted_result_does_not_borrow_the_verb_before() -> None:
    g = parse("Classify the photo. Then I would like to crop the photo. Finally, I need a short description of the cropped photo.")
    last = g.steps[-1]
    assert "verb carried over" not in last.cues and last.verb != "crop"
    assert g.depends_on(last.id) == (g.steps[1].id,)


def test_knowing_about_the_input_leaves_it_unchanged() -> None:
    # "know" only reads the photo: "its caption" is about the photo, beside it.
    g = parse("I have a photo 'dog.jpg'. I want to know the breed of the dog and write its caption in French.")
    assert g.shape == "dag"


def test_request_naming_the_work_of_the_wish_is_the_same_step() -> None:
    g = parse("I want to know which class of music 'tune.mp3' belongs to. Please classify it with any tool you have.")
    assert len(g.steps) == 1


def test_based_on_something_no_one_gave_means_a_result() -> None:
    text = "I have a photo 'room.jpg' of my room. I want to know the main colour of the walls. Based on the wall colour, suggest curtains for the room."
    g = parse(text)
    assert g.shape == "chain"
    # Based on what the user gave, the same request reads the photo directly.
    g2 = parse("I have a photo 'room.jpg' of my room. I want to know the main colour of the walls. Based on my photo, suggest curtains for the room.")
    assert g2.shape == "dag"
