"""Runner defaults, each with its reason. Configuration (``[tool.planner.run]``)
and command-line options override every one of them."""

from __future__ import annotations

# Per-call timeout for steps without `timeout_s`: a long agent reply at
# tens of tokens per second fits in ten minutes; anything slower is stuck.
TIMEOUT_S = 600.0

# Output bound for steps without `max_tokens`. Also sets the worst case each
# call reserves under --max-cost, so it is a moderate page of text rather
# than a model's maximum.
MAX_TOKENS = 4096

# Extra attempts for errors that can heal (rate limits, overload, timeouts):
# enough to ride out a short burst, few enough not to hide an outage.
RETRIES = 3

# Exponential backoff: the first retry waits up to 1 s, doubling, never more
# than a minute; full jitter spreads out steps that failed together.
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 60.0

# A server asking for a longer pause than this is treated as a failure of the
# step rather than parking the whole run.
MAX_RETRY_AFTER_S = 300.0

# Bound on rounds for a step with `until` but no `max_rounds`, so a stop
# condition that never holds cannot spend without limit.
UNTIL_MAX_ROUNDS = 5

# A paid run estimated above this asks for confirmation on a terminal.
CONFIRM_ABOVE_USD = 1.0
