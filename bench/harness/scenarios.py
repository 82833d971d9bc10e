"""What `make bench` runs, as data: the servers it starts, the scenarios it drives against them
(in rotation groups), and the rows of the throughput table. Adding a scenario is a line here
(and a target in targets.py if it is compared with something)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServerSpec:
    key: str
    name: str
    registry: str  # a directory of the generated bench data
    flags: tuple = ()  # "{logdir}" is replaced by the run's log directory
    unpinned: bool = False  # a reference server free to run on every CPU (only started when pinning)
    needs_flag: str = ""  # started only when the server binary has this flag


SERVERS = (
    ServerSpec("warm10", "warm-10", "registry-10"),
    ServerSpec("cold10", "cold-10", "registry-10", ("--cache_max_entries=0",)),
    # Verdict cache and parsed-certificate cache both off: every call parses the leaf.
    ServerSpec("cold10np", "cold-10-no-parse-cache", "registry-10",
               ("--cache_max_entries=0", "--certificate_cache_entries=0")),
    ServerSpec("warm10k", "warm-10k", "registry-10000"),
    ServerSpec("cold10k", "cold-10k", "registry-10000", ("--cache_max_entries=0",)),
    # Reference: the load generator and the server on the same CPUs.
    ServerSpec("shared", "warm-10-unpinned", "registry-10", unpinned=True),
    ServerSpec("decision_log", "warm-10-decision-log", "registry-10",
               ("--decision_log={logdir}/decisions.jsonl",), needs_flag="--decision_log"),
)


@dataclass(frozen=True)
class Scenario:
    key: str  # where its runs are kept (targets.py and the tables read them by this key)
    label: str  # the progress line's label
    server: str  # a ServerSpec key; the scenario is skipped when that server was not started
    rpc: str  # health | validate | extauthz
    corpus: str = "one"  # "one" (a single leaf: warm) or a corpus directory (distinct leaves: cold)
    policy: str = "bench"
    half_rate_of: str = ""  # open loop, offered half the median closed-loop rate of that scenario


# Each group runs in rotation: every scenario once per round, in order, so the scenarios a
# target compares were measured under the same conditions. Groups run in this order.
GROUPS = (
    # Warm (one certificate, cache on): health vs validate, Check vs validate, 10 vs 10,000
    # policies, and what the per-decision log costs.
    (
        Scenario("health", "health", "warm10", "health"),
        Scenario("warm", "warm validate", "warm10", "validate"),
        Scenario("check", "extauthz check warm", "warm10", "extauthz"),
        Scenario("warm10k", "warm validate 10k pol", "warm10k", "validate"),
        Scenario("decision_log", "warm validate, decision log", "decision_log", "validate"),
    ),
    # Cold (1,000 distinct leaves, verdict cache off): RSA-2048 and P-256, the same with the
    # parsed-certificate cache off too, Check, and 10,000 policies.
    (
        Scenario("cold_rsa", "cold validate rsa2048", "cold10", "validate", corpus="rsa2048"),
        Scenario("cold_ec", "cold validate p256", "cold10", "validate", corpus="p256", policy="bench-ec"),
        Scenario("cold_np_rsa", "cold no-parse-cache rsa2048", "cold10np", "validate", corpus="rsa2048"),
        Scenario("cold_np_ec", "cold no-parse-cache p256", "cold10np", "validate", corpus="p256",
                 policy="bench-ec"),
        Scenario("check_cold", "extauthz check cold", "cold10", "extauthz", corpus="rsa2048"),
        Scenario("cold10k", "cold validate 10k pol", "cold10k", "validate", corpus="rsa2048"),
    ),
    # Open loop at 50% of the measured maximum; health at the warm validate rate gives the
    # server's CPU per call of each under equal load.
    (
        Scenario("open_warm", "open loop warm 50%", "warm10", "validate", half_rate_of="warm"),
        Scenario("open_health", "open loop health, same rate", "warm10", "health", half_rate_of="warm"),
        Scenario("open_cold", "open loop cold 50%", "cold10", "validate", corpus="rsa2048",
                 half_rate_of="cold_rsa"),
    ),
    # Reference rows with nothing pinned: the warm comparison when the load generator competes
    # with the server for the same cores.
    (
        Scenario("shared_health", "health, unpinned", "shared", "health"),
        Scenario("shared_warm", "warm validate, unpinned", "shared", "validate"),
    ),
)

# Open-loop runs last at least this long (seconds), so their tails have enough calls.
OPEN_LOOP_MIN_SECONDS = 4

# The throughput table: (row title, scenario key); rows of scenarios that did not run are left out.
THROUGHPUT_ROWS = (
    ("health (grpc.health.v1 Check)", "health"),
    ("warm validate (1 cert, cache on)", "warm"),
    ("cold validate RSA-2048 (1,000 leaves, verdict cache off)", "cold_rsa"),
    ("cold validate P-256 (1,000 leaves, verdict cache off)", "cold_ec"),
    ("cold validate RSA-2048, parsed-certificate cache off too", "cold_np_rsa"),
    ("cold validate P-256, parsed-certificate cache off too", "cold_np_ec"),
    ("ext_authz Check warm", "check"),
    ("ext_authz Check cold RSA", "check_cold"),
    ("warm validate, 10,000 policies", "warm10k"),
    ("cold validate, 10,000 policies", "cold10k"),
    ("warm validate, decision log to a file", "decision_log"),
    ("health, unpinned", "shared_health"),
    ("warm validate, unpinned", "shared_warm"),
)

# The open-loop table: (row title, scenario key); the run with the median p99 is shown.
OPEN_LOOP_ROWS = (
    ("warm validate", "open_warm"),
    ("health, at the warm validate rate", "open_health"),
    ("cold validate RSA-2048", "open_cold"),
)
