"""Sentence shapes the advisor must read the same way however they are phrased:
list endings, "X vs Y vs Z", "one ... the other ...", "a few different X", step ids."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.advise import Suggestion, suggest
from planner.advise.lists import find_lists, verb_checker
from planner.plan.model import STEP_ID_RE


def _roots(s: Suggestion) -> list[str]:
    return [step.title for step in s.plan.steps if not step.depends_on]


def _joins(s: Suggestion) -> list[str]:
    return [step.title for step in s.plan.steps if len(step.depends_on) >= 2]


def _best(text: str) -> tuple[str, ...]:
    found = [lst for lst in find_lists(text, verb_checker()) if not lst.actions]
    assert found, text
    return max(found, key=lambda lst: len(lst.items)).items


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Build these parts: auth routes, user routes and admin routes, then wire everything together",
         ("auth routes", "user routes", "admin routes")),
        ("Write the parsers for CSV, JSON, and XML, then register them in the loader",
         ("CSV", "JSON", "XML")),
        ("Set up the dev, staging or prod clusters; afterwards check the costs", ("dev", "staging", "prod clusters")),
        ("Deploy the three sites (Paris, Lyon, Nice) and then report", ("Paris", "Lyon", "Nice")),
        ("Port these modules: billing, search and reports. Then merge.", ("billing", "search", "reports")),
    ],
)
def test_thing_lists_end_at_a_new_clause(text: str, items: tuple[str, ...]) -> None:
    assert _best(text) == items


def test_action_lists_keep_their_then_stages() -> None:
    found = find_lists("Parse the logs, then aggregate the errors, then email the summary", verb_checker())
    assert [lst.items for lst in found if lst.actions] == [("Parse the logs", "aggregate the errors", "email the summary")]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("microservices vs monolith with modules vs serverless; pick one", ("microservices", "monolith with modules", "serverless")),
        ("Kafka versus RabbitMQ versus NATS for the event bus", ("Kafka", "RabbitMQ", "NATS")),
        ("Benchmark: Go vs Rust vs Zig", ("Go", "Rust", "Zig")),
        ("Server-side rendering vs static generation for the blog", ("Server-side rendering", "static generation")),
    ],
)
def test_vs_lists(text: str, items: tuple[str, ...]) -> None:
    assert _best(text) == items


def test_list_then_join_gives_one_branch_per_item() -> None:
    s = suggest("Build three parts: the billing routes, the search routes and the export routes, then wire them all together")
    assert s.plan.pattern == "parallel-pipelines"
    assert len(_roots(s)) == 3
    assert not any("then" in t.lower().split() for t in _roots(s))
    assert len(_joins(s)) == 1 and "wire" in _joins(s)[0].lower()


def test_oxford_list_then_join() -> None:
    s = suggest("Implement the importer, the exporter, and the scheduler as separate modules, each with its own tests, then integrate them")
    assert s.plan.pattern == "parallel-pipelines"
    assert len(_roots(s)) == 3


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Architecture decision: microservices vs monolith with modules vs serverless; compare the trade-offs and recommend one",
         ["Microservices", "Monolith with modules", "Serverless"]),
        ("Queue choice: Kafka vs RabbitMQ vs NATS. Benchmark each and pick one.", ["Kafka", "RabbitMQ", "NATS"]),
    ],
)
def test_three_way_vs_gives_three_approaches(text: str, labels: list[str]) -> None:
    s = suggest(text)
    assert s.plan.pattern == "competitive-evaluation"
    assert _roots(s) == labels


@pytest.mark.parametrize(
    "text",
    [
        "Two squads work in parallel: one designs and builds the recommendation service, the other designs and builds the feature store; then both are connected",
        "Two agents: one writes and tests the CSV exporter, the other writes and tests the PDF exporter; at the end both are plugged into the export menu.",
        "One team designs and implements the search API while another designs and implements the search UI, and finally they integrate the two.",
    ],
)
def test_one_the_other_streams_are_parallel_pipelines(text: str) -> None:
    s = suggest(text)
    assert s.plan.pattern == "parallel-pipelines"
    assert len(_roots(s)) == 2
    assert len(_joins(s)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Try out a few different prompt designs for the classifier and keep whichever scores best on the validation set",
        "Sketch several different logo ideas and keep the one the team likes most",
        "Test a couple of different indexing schemes and go with whichever is fastest",
    ],
)
def test_a_few_different_x_keep_the_best_is_competitive(text: str) -> None:
    s = suggest(text)
    assert s.plan.pattern == "competitive-evaluation"
    assert len(_roots(s)) >= 2


_STOPS = {"and", "the", "a", "an", "of", "to", "for", "with", "or"}


@pytest.mark.parametrize(
    "text",
    [
        "Write an initial draft of the migration guide, have it reviewed, and revise it until it is clear",
        "Compare Redis, Postgres and DynamoDB for the session store and recommend one",
        "Reproduce and locate the crash in the nightly importer, then fix it",
        "Architecture decision: microservices vs monolith with modules vs serverless; recommend one",
    ],
)
def test_step_ids_end_on_a_whole_word(text: str) -> None:
    ids = [step.id for step in suggest(text).plan.steps]
    assert len(ids) == len(set(ids))
    for step_id in ids:
        assert STEP_ID_RE.match(step_id), step_id
        assert step_id.split("-")[-1] not in _STOPS, step_id


@given(st.text(alphabet="abc and the of, vs-", min_size=1, max_size=60))
def test_ids_stay_valid_for_any_title(title: str) -> None:
    from planner.advise.build import ID_MAX, BuildContext

    ctx = BuildContext.__new__(BuildContext)
    ctx.used_ids = set()
    first, second = ctx.new_id(title), ctx.new_id(title)
    for step_id in (first, second):
        assert STEP_ID_RE.match(step_id)
        assert len(step_id) <= ID_MAX + 3
    assert first != second


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("One agent designs and implements the CSV exporter, another designs and implements the PDF exporter.",
         ("CSV exporter", "PDF exporter")),
        ("Split it: one team writes the parser, the other writes the code generator, then we merge.",
         ("parser", "code generator")),
    ],
)
def test_one_the_other_names_the_streams(text: str, items: tuple[str, ...]) -> None:
    assert _best(text) == items


def test_one_the_other_labels_the_branches() -> None:
    s = suggest("Two squads work in parallel: one designs and builds the recommendation service, the other designs and builds the feature store; then both are connected")
    labels = " ".join(_roots(s)).lower()
    assert "recommendation service" in labels and "feature store" in labels


def test_competing_versions_named_one_and_the_other_stay_competitive() -> None:
    s = suggest("Prototype two designs: one uses Redis, the other uses Postgres; keep the faster one")
    assert s.plan.pattern == "competitive-evaluation"
    assert len(_roots(s)) == 2


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Try out a few different prompt designs for the classifier and keep whichever scores best on the validation set", "Prompt design"),
        ("Experiment with several alternative ranking functions and keep the one with the best click-through", "Ranking function"),
        ("Draft three competing retry strategies and pick the sturdiest", "Retry strategy"),
    ],
)
def test_unnamed_alternatives_take_the_kind_the_text_names(text: str, label: str) -> None:
    s = suggest(text)
    assert s.plan.pattern == "competitive-evaluation"
    roots = _roots(s)
    assert len(roots) >= 2
    assert all(r.startswith(label) for r in roots), roots
    assert len(set(roots)) == len(roots)


def test_repeated_branch_text_is_not_used_as_approach_names() -> None:
    s = suggest("Have three agents each write their own version of the landing page copy; we'll go with whichever converts best")
    roots = _roots(s)
    assert s.plan.pattern == "competitive-evaluation"
    assert len(roots) == 3 and len(set(roots)) == 3


@pytest.mark.parametrize("superlative", ["safest", "easiest", "most robust"])
def test_which_is_superlative_asks_for_a_choice(superlative: str) -> None:
    s = suggest(f"Come up with some different ways to shard the users table and tell me which is {superlative}")
    assert s.plan.pattern == "competitive-evaluation"


def test_article_led_items_keep_verb_like_nouns() -> None:
    items = _best("Create the login page, the signup page, and the password reset page, then link them")
    assert items == ("login page", "signup page", "password reset page")


def test_built_parts_then_linked_are_parallel_streams() -> None:
    s = suggest("Design the pricing page, the careers page, and the password reset page, then link all of them from the footer.")
    assert s.plan.pattern == "parallel-pipelines"
    roots = " | ".join(_roots(s)).lower()
    assert len(_roots(s)) == 3 and "password reset page" in roots
    assert len(_joins(s)) == 1


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Collect the error budgets from the payments, search, and identity teams, and produce one reliability summary",
         ("payments", "search", "identity teams")),
        ("Read the auth, search and identity docs, and write up what is missing",
         ("auth", "search", "identity docs")),
    ],
)
def test_and_verb_after_a_list_starts_a_clause(text: str, items: tuple[str, ...]) -> None:
    assert _best(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "Develop the ingestion worker and the reporting worker in separate streams, each implemented and then load-tested, and merge both",
        "Pull the raw clickstream, sessionize it, compute funnel conversion, and publish the numbers",
    ],
)
def test_clauses_are_not_listed_as_things(text: str) -> None:
    things = [lst.items for lst in find_lists(text, verb_checker()) if not lst.actions]
    assert not any(len(items) >= 3 for items in things), things


def test_streams_go_through_the_verbs_the_text_gives_them() -> None:
    s = suggest("Two squads work in parallel: one designs and builds the recommendation service, the other designs and builds the feature store; then both are connected")
    titles = [step.title for step in s.plan.steps]
    assert "Design: recommendation service" in titles and "Build: feature store" in titles


def test_base_form_streams_and_a_later_joiner() -> None:
    s = suggest("Let one agent build and test the Slack integration and another build and test the Teams integration; afterwards a third agent puts both behind the same notifications API.")
    assert s.plan.pattern == "parallel-pipelines"
    assert [t.split(": ")[-1] for t in _roots(s)] == ["Slack integration", "Teams integration"]
    assert len(_joins(s)) == 1


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("gRPC or REST or GraphQL for the internal API?", ("gRPC", "REST", "GraphQL")),
        ("Should the cache live in Redis or Memcached or in-process memory?", ("Redis", "Memcached", "in-process memory")),
    ],
)
def test_or_chains_name_options(text: str, items: tuple[str, ...]) -> None:
    assert _best(text) == items


def test_single_or_is_not_a_list() -> None:
    assert find_lists("Fix the login or the signup form first", verb_checker()) == ()


def test_mixed_case_names_keep_their_case_in_titles() -> None:
    s = suggest("gRPC or REST or GraphQL for the internal API? Build a tiny prototype of each and recommend one.")
    assert s.plan.pattern == "competitive-evaluation"
    assert _roots(s) == ["gRPC", "REST", "GraphQL"]


def test_changes_since_a_release_is_a_review_not_a_defect() -> None:
    s = suggest("Check the Python, Ruby and PHP clients for breaking changes since the last release and merge the findings into one note.")
    assert s.plan.pattern == "fan-out-fan-in"
    assert len(_roots(s)) == 3


def test_unread_scattered_code_is_scouted_first() -> None:
    s = suggest("Add caching to the report generator. The code is scattered across a dozen files I haven't read yet, so map it out first.")
    assert s.plan.pattern == "scout-build"


def test_lone_words_after_a_verb_phrase_are_things() -> None:
    assert _best("Check our docs site, blog, and status page for broken links and send me one list.") == (
        "docs site", "blog", "status page",
    )
    s = suggest("Scan our web app, wiki, and status page for dead links and send me one list.")
    assert s.plan.pattern == "fan-out-fan-in"
    assert len(_roots(s)) == 3


def test_build_in_both_and_compare_is_a_choice() -> None:
    s = suggest("Should the admin app use Svelte or Vue? Build the same form in both and compare.")
    assert s.plan.pattern == "competitive-evaluation"
    assert len(_roots(s)) == 2


def test_named_teams_are_streams() -> None:
    s = suggest("The data team builds the ingestion job while the web team builds the upload form; each team tests its part, and then both go live together.")
    assert s.plan.pattern == "parallel-pipelines"
    roots = _roots(s)
    assert roots == ["Build: ingestion job", "Build: upload form"]


def test_versions_named_by_what_they_use() -> None:
    s = suggest("Propose two layouts for the signup form, one with a single column and the other with a wizard, and choose the one that needs fewer clicks.")
    assert s.plan.pattern == "competitive-evaluation"
    assert _roots(s) == ["Single column", "Wizard"]


def test_the_number_of_alternatives_comes_from_the_phrase_that_names_them() -> None:
    # 200 is the size of the test set, not how many designs to try.
    plan = suggest("Write three different ranking functions and keep whichever scores best on our 200 labelled queries").plan
    assert plan.pattern == "competitive-evaluation"
    assert len([st for st in plan.steps if not st.depends_on]) == 3


@pytest.mark.parametrize(
    ("text", "rounds"),
    [
        ("Write a cover letter, have it critiqued and rework it twice", 2),
        ("Draft the abstract and polish it thrice based on feedback", 3),
        ("Draft the abstract and refine it for at most two rounds of review", 2),
    ],
)
def test_spoken_round_counts_bound_the_loop(text: str, rounds: int) -> None:
    plan = suggest(text).plan
    assert plan.pattern == "incremental-refinement"
    assert [st.max_rounds for st in plan.steps if st.max_rounds] == [rounds]


def test_twice_as_slow_counts_no_rounds() -> None:
    from planner.advise.build import parse_rounds

    assert parse_rounds("the page is twice as slow as last month", 5) is None
    assert parse_rounds("check it twice", 5) == 2


def test_worrying_about_breakage_is_not_a_defect_report() -> None:
    from planner.advise.features import compute_features
    from planner.advise.rules import load_rules
    from planner.config import default_config
    from planner.parser import parse

    rules = load_rules()

    def features(text: str) -> dict[str, object]:
        return dict(compute_features(parse(text), text, rules.cues, default_config(), rules.count_ignore).values)

    worry = features("Move every package to the new bundler across the monorepo; nobody knows what breaks")
    assert worry["defect"] is False and worry["broad"] is True
    report = features("The importer breaks on files with a byte order mark")
    assert report["defect"] is True


def test_reviewers_named_in_parallel_each_review_the_draft_before_the_rework() -> None:
    plan = suggest("Draft the incident postmortem, have it reviewed by the on-call lead and the database team at the same time, then finalize it").plan
    assert plan.pattern == "incremental-refinement"
    by_id = {st.id: st for st in plan.steps}
    draft = plan.steps[0]
    reviews = [st for st in plan.steps if st.depends_on == (draft.id,)]
    assert len(reviews) == 2 and all(st.role == "review" for st in reviews)
    rework = next(st for st in plan.steps if set(st.depends_on) == {r.id for r in reviews})
    assert rework.title.startswith("Finalize") and rework.max_rounds
    assert any(by_id[d] is rework for st in plan.steps for d in st.depends_on)  # a final sign-off follows
    from planner.linter import lint
    from planner.plan.dump import dump_yaml

    assert lint(dump_yaml(plan)) == []


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Write three variations of the pricing page hero and A/B test them", 3),
        ("Produce 2 variants of the welcome email and split-test them", 2),
    ],
)
def test_variations_put_to_a_split_test_compete(text: str, n: int) -> None:
    plan = suggest(text).plan
    assert plan.pattern == "competitive-evaluation"
    starts = [st for st in plan.steps if not st.depends_on]
    assert len(starts) == n
    judge = plan.steps[-1]
    assert set(judge.depends_on) == {st.id for st in starts}
    assert "test" in judge.id


def test_more_alternatives_than_the_cap_say_so() -> None:
    plan = suggest("Write 7 variations of the app store description and A/B test them").plan
    assert len([st for st in plan.steps if not st.depends_on]) == 4  # compare_max in rules/thresholds.toml
    assert any("7 alternatives" in r for r in plan.rationale)


def test_scraping_counted_sources_into_one_comparison_fans_out() -> None:
    plan = suggest("Crawl the docs sites of our 8 biggest integrations and build a feature comparison matrix").plan
    assert plan.pattern == "fan-out-fan-in"
    gatherers = [st for st in plan.steps if not st.depends_on]
    assert len(gatherers) == 8 and all(st.tier == "haiku" for st in gatherers)
    assert plan.steps[-1].depends_on == tuple(st.id for st in gatherers)


def test_batches_of_counted_items_are_named_by_their_range() -> None:
    plan = suggest("We have 200 support emails. Categorize them and tell me the top themes.").plan
    gatherers = [st for st in plan.steps if not st.depends_on]
    assert len(gatherers) == 20
    assert gatherers[0].id == "support-emails-1-10" and gatherers[0].title == "Support emails 1-10"
    assert gatherers[-1].id == "support-emails-191-200"


def test_build_steps_the_text_orders_stay_in_order_after_scouting() -> None:
    plan = suggest(
        "Replace the legacy auth layer: first map every place it is called, then design the new interface, "
        "then port the callers, then remove the old layer"
    ).plan
    assert plan.pattern == "scout-build"
    by_title = {st.title.split()[0].lower(): st for st in plan.steps}
    port, remove = by_title["port"], by_title["remove"]
    assert remove.depends_on == (port.id,)  # removing the old layer waits for the port
    assert plan.steps[-1].depends_on == (remove.id,)


def test_several_pieces_to_write_are_written_then_reviewed_and_aligned() -> None:
    plan = suggest("Write a press release announcing the merger, an FAQ, and an email to customers, all in one voice").plan
    assert plan.pattern == "parallel-pipelines"
    starts = [st for st in plan.steps if not st.depends_on]
    assert [st.id for st in starts] == ["press-release-write", "faq-write", "email-write"]
    assert all(st.role == "draft" for st in starts)
    reviews = [st for st in plan.steps if st.role == "review"]
    assert len(reviews) == 3 and all(len(st.depends_on) == 1 for st in reviews)
    assert plan.steps[-1].title == "Align the pieces"
    assert set(plan.steps[-1].depends_on) == {st.id for st in reviews}


def test_an_item_described_by_an_ing_phrase_keeps_its_noun() -> None:
    lists = find_lists("Write a memo explaining the outage, a status page update, and a customer email", verb_checker())
    assert next(lst.items for lst in lists if not lst.actions) == ("memo explaining the outage", "status page update", "customer email")


def test_the_chosen_alternative_is_built_after_the_choice() -> None:
    plan = suggest("Sketch two onboarding flows, choose one with the product owner, and then implement it").plan
    assert plan.pattern == "competitive-evaluation"
    starts = [st for st in plan.steps if not st.depends_on]
    assert len(starts) == 2  # "two onboarding flows", not a default of three
    judge, build = plan.steps[-2], plan.steps[-1]
    assert set(judge.depends_on) == {st.id for st in starts}
    assert build.depends_on == (judge.id,) and build.role == "implement"
    from planner.linter import lint
    from planner.plan.dump import dump_yaml

    assert lint(dump_yaml(plan)) == []


def test_a_phrase_after_a_comma_that_opens_with_a_preposition_is_no_list_item() -> None:
    assert find_lists("Design and implement caching for the search API, with tests and docs", verb_checker()) == ()


@given(st.lists(st.sampled_from(["A", "b c", ",", ", and", " or", ", or,", "`\\]`", "the x", "then", ")", "("]), max_size=12).map(" ".join))
def test_list_reading_never_fails_on_odd_punctuation(text: str) -> None:
    for lst in find_lists(text, verb_checker()):
        assert all(item.strip() for item in lst.items)


def test_a_comma_before_a_closing_or_with_only_punctuation_after_it() -> None:
    # from a real bug report: "..., or, `\\]` should instead render?"
    assert suggest("Output should not escape square brackets, or, `\\]` should instead render?").plan.steps


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        ("Build the ranking twice, with BM25 and with a learned model, and measure which ranks better on our queries", ["BM25", "a learned model"]),
        ("Implement the exporter once using Arrow and once using pandas, then benchmark both", ["Arrow", "pandas"]),
    ],
)
def test_ways_named_by_a_repeated_with_are_the_approaches(text: str, labels: list[str]) -> None:
    plan = suggest(text).plan
    assert plan.pattern == "competitive-evaluation"
    starts = [st for st in plan.steps if not st.depends_on]
    assert [st.title for st in starts] == [label[:1].upper() + label[1:] for label in labels]


def test_measuring_which_option_wins_comes_after_the_options() -> None:
    from planner.parser import parse

    g = parse("Write the parser two ways and measure which one is faster")
    assert g.steps[-1].role == "compare" and g.depends_on(g.steps[-1].id)
