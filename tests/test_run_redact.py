"""Secrets in a plan never reach the journal, `planner runs`, `runs show` or the dry run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.runner.redact import MASK, SHAPES, mask_shapes

# (shape name, text holding a secret, the secret part that must disappear).
# Made-up values in each vendor's published format.
SECRETS = [
    (
        "Anthropic key",
        "use sk-ant-api03-Abc123_def-456GHIjkl to call",
        "sk-ant-api03-Abc123_def-456GHIjkl",
    ),
    (
        "OpenAI key",
        "OPENAI sk-proj-Ab12Cd34Ef56Gh78Ij90_kL-mn",
        "sk-proj-Ab12Cd34Ef56Gh78Ij90_kL-mn",
    ),
    ("OpenAI key", "legacy sk-Ab12Cd34Ef56Gh78Ij90Kl", "sk-Ab12Cd34Ef56Gh78Ij90Kl"),
    ("AWS access key id", "id AKIAIOSFODNN7EXAMPLE here", "AKIAIOSFODNN7EXAMPLE"),
    (
        "GitHub token",
        "gh ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
        "ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    ),
    (
        "GitHub token",
        "pat github_pat_11AB_cdEFghIJklMNopQRstUV",
        "github_pat_11AB_cdEFghIJklMNopQRstUV",
    ),
    (
        "Google API key",
        "maps AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q",
        "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q",
    ),
    ("Slack token", "bot xoxb-1234567890-AbCdEfGhIj", "xoxb-1234567890-AbCdEfGhIj"),
    ("Stripe key", "pay sk_live_Ab12Cd34Ef56Gh78", "sk_live_Ab12Cd34Ef56Gh78"),
    (
        "Hugging Face token",
        "hub hf_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
        "hf_Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56",
    ),
    (
        "JSON web token",
        "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fw",
        "SflKxwRJSMeKKF2QT4fw",
    ),
    ("bearer token", "Authorization: Bearer abcd1234efgh5678ijkl", "abcd1234efgh5678ijkl"),
    ("password in a URL", "db postgres://app:hunter2@db.internal/x", "hunter2"),
    (
        "private key block",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----",
        "b3BlbnNzaC1rZXktdjEA",
    ),
    ("credential assignment", "export MY_SERVICE_KEY=Qw3rty-Uiop-42", "Qw3rty-Uiop-42"),
    (
        "credential assignment",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCY",
    ),
    ("credential assignment", 'config {"api_key": "Zx9Zx9Zx9Zx9"}', "Zx9Zx9Zx9Zx9"),
    ("credential assignment", "password: hunter22", "hunter22"),
    ("credential assignment", "token=CorrectHorseBatteryStaple", "CorrectHorseBatteryStaple"),
    ("credential assignment", "call it with ?key=AbCdEf0123456789", "AbCdEf0123456789"),
]

# Ordinary text that looks a little like the shapes and must stay as it is.
PROSE = [
    "Compare sk-learn and sk-learn-compatible-estimators",
    "max_tokens=4096 and the token budget: 5000",
    "password: required; secret: simplicity; primary key=user_id",
    "use Bearer authentication for the API",
    "The secret: understanding-the-problem-space",
    "ghost_writer and github_pages and hf_small",
    "see https://example.com:8080/path@v2",
]


def test_every_shape_has_a_case() -> None:
    assert {name for name, _, _ in SHAPES} == {name for name, _, _ in SECRETS}


@pytest.mark.parametrize(("shape", "text", "secret"), SECRETS)
def test_each_key_shape_is_masked(shape: str, text: str, secret: str) -> None:
    masked = mask_shapes(text)
    assert secret not in masked, shape
    assert MASK in masked


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_shapes(text) == text


def _plan_with_secrets(tmp_path: Path) -> tuple[Path, list[str]]:
    secrets = [s for _, _, s in SECRETS if "\n" not in s]
    task = "Summarise the service. Credentials: " + " ; ".join(t for _, t, _ in SECRETS[:8])
    prompt = " ; ".join(t for _, t, _ in SECRETS[8:] if "\n" not in t)
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "version: 1\n"
        f"task: {json.dumps(task)}\n"
        "steps:\n"
        f"  - {{id: a, tier: haiku, title: {json.dumps('with ' + SECRETS[0][2])}, prompt: {json.dumps(prompt)}}}\n",
        encoding="utf-8",
    )
    return plan, secrets


def test_task_and_prompt_secrets_never_reach_journal_or_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan, secrets = _plan_with_secrets(tmp_path)
    state = tmp_path / "st"
    shown: list[str] = []
    assert main(["run", str(plan)]) == 0  # dry run
    shown.append(capsys.readouterr().out)
    assert main(["run", str(plan), "-b", "mock", "--state", str(state), "--events", "jsonl"]) == 0
    shown.append(capsys.readouterr().out)
    assert main(["runs", "--state", str(state), "--format", "json"]) == 0
    listing = capsys.readouterr().out
    shown.append(listing)
    run_id = json.loads(listing)[0]["run_id"]
    for fmt in ("text", "json"):
        assert (
            main(["runs", "--state", str(state), "show", run_id, "--format", fmt, "--outputs"]) == 0
        )
        shown.append(capsys.readouterr().out)
    assert MASK in shown[0] and MASK in listing
    stored = b"".join(p.read_bytes() for p in state.rglob("*") if p.is_file())
    for secret in secrets:
        assert secret.encode() not in stored, secret
        for text in shown:
            assert secret not in text, secret


def test_an_old_journal_with_a_plain_task_is_masked_when_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    plan = tmp_path / "p.yaml"
    plan.write_text("version: 1\ntask: plain\nsteps:\n  - {id: a}\n", encoding="utf-8")
    state = tmp_path / "st"
    assert main(["run", str(plan), "-b", "mock", "--state", str(state)]) == 0
    key = SECRETS[0][2]
    with sqlite3.connect(state / "journal.sqlite") as db:
        db.execute("UPDATE runs SET task = ?", (f"old task with {key}",))
    capsys.readouterr()
    assert main(["runs", "--state", str(state), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert key not in out and MASK in out
